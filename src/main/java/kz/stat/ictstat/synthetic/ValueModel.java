package kz.stat.ictstat.synthetic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.stat.ictstat.survey.Item;
import kz.stat.ictstat.survey.SurveyDefinitions;

/**
 * The true values of every in-scope active unit in a year (docs/synthetic-data.md).
 *
 * <p>Binary items: unit k adopts item f in year t iff it is eligible (its parent item is 1) and
 * s_kft = b_f·ln(employees_k) + a_f(section_k) + g(region_k) + e_kf + σ_f·z_kft &gt; c_ft, with
 * e_kf standard logistic (fixed for the unit's life: adoption persists) and z_kft standard normal.
 * The cut-off c_ft is solved each year so that exactly round(p_ft · N_A) units of the anchor
 * population A adopt (p_ft the anchored share); this is the calibration. Counts and amounts are
 * heavy-tailed (log-normal in the unit effect) and scaled by a factor solved so that the population
 * total hits the anchored total.
 */
final class ValueModel {
  private final SurveyDefinitions survey;
  private final SyntheticModel model;
  private final long seed;
  private final double scale;

  /** One year's truth: units (panel slots) and a value array per item (NaN = not asked). */
  record YearTruth(int year, int[] units, List<String> items, Map<String, double[]> values) {
    double[] get(String item) {
      return values.get(item);
    }
  }

  ValueModel(SurveyDefinitions survey, SyntheticModel model, long seed, double scale) {
    this.survey = survey;
    this.model = model;
    this.seed = seed;
    this.scale = scale;
  }

  private boolean exists(String id, Integer since, int year) {
    Item it = survey.items().get(id);
    if (it != null) return it.existsIn(year);
    return since == null || year >= since;
  }

  YearTruth compute(Panel p, int year) {
    int m = 0;
    for (int u = 0; u < p.live(); u++) if (p.inScope(u)) m++;
    int[] units = new int[m];
    m = 0;
    for (int u = 0; u < p.live(); u++) if (p.inScope(u)) units[m++] = u;
    int n = units.length;
    double[] lnEmp = new double[n];
    String[] section = new String[n];
    String[] size = new String[n];
    String[] region = new String[n];
    for (int i = 0; i < n; i++) {
      int u = units[i];
      lnEmp[i] = Math.log(p.employees[u]);
      section[i] = p.okedSection[p.oked[u]];
      size[i] = p.sizeClass(u);
      region[i] = Integer.toString(p.kato[u]).substring(0, 2);
    }
    Map<String, double[]> v = new LinkedHashMap<>();
    double[] emp = new double[n];
    for (int i = 0; i < n; i++) emp[i] = p.employees[units[i]];
    v.put("employees", emp);

    for (SyntheticModel.Feature f : model.features()) {
      if (!exists(f.id(), f.since(), year)) continue;
      double[] parent = f.eligible() == null ? null : v.get(f.eligible());
      long stream = Rng.stream(f.id());
      double[] score = new double[n];
      for (int i = 0; i < n; i++) {
        long id = idOf(p, units[i]);
        double sec =
            f.sections()
                .getOrDefault(section[i], model.sectionEffects().getOrDefault(section[i], 0.0));
        score[i] =
            f.emp() * lnEmp[i]
                + sec
                + model.regionEffects().getOrDefault(region[i], 0.0)
                + Rng.logistic(seed, id, stream, 0)
                + f.noise() * Rng.normal(seed, id, stream, year);
      }
      SyntheticModel.Anchor a = SyntheticModel.anchor(f, year);
      List<Double> cand = new ArrayList<>();
      int pop = 0;
      for (int i = 0; i < n; i++) {
        if (!a.sizeClasses().isEmpty() && !a.sizeClasses().contains(size[i])) continue;
        if (!a.sections().isEmpty() && !a.sections().contains(section[i])) continue;
        pop++;
        if (parent == null || parent[i] == 1.0) cand.add(score[i]);
      }
      long k = Math.round(a.share() / 100.0 * pop);
      double cut;
      if (k <= 0) cut = Double.POSITIVE_INFINITY;
      else if (k >= cand.size()) cut = Double.NEGATIVE_INFINITY;
      else {
        double[] c = cand.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(c);
        int idx = c.length - (int) k; // the k largest are at idx..end
        cut = (c[idx - 1] + c[idx]) / 2;
      }
      double[] val = new double[n];
      for (int i = 0; i < n; i++) {
        boolean elig = parent == null || parent[i] == 1.0;
        val[i] = elig && score[i] > cut ? 1 : 0;
      }
      v.put(f.id(), val);
    }
    // components: at least one is 1 exactly when the parent is 1
    for (var e : model.components().entrySet()) {
      double[] parent = v.get(e.getKey());
      List<String> comps = new ArrayList<>();
      for (String c : e.getValue().keySet()) if (exists(c, null, year)) comps.add(c);
      if (parent == null || comps.isEmpty()) continue;
      double[][] out = new double[comps.size()][n];
      for (int i = 0; i < n; i++) {
        if (parent[i] != 1.0) continue;
        long id = idOf(p, units[i]);
        int best = 0;
        double bestRatio = Double.MAX_VALUE;
        boolean any = false;
        for (int j = 0; j < comps.size(); j++) {
          double pr = e.getValue().get(comps.get(j));
          double u =
              0.85 * Rng.u(seed, id, Rng.stream(comps.get(j)), 0)
                  + 0.15 * Rng.u(seed, id, Rng.stream(comps.get(j)), year);
          if (u < pr) {
            out[j][i] = 1;
            any = true;
          }
          if (u / pr < bestRatio) {
            bestRatio = u / pr;
            best = j;
          }
        }
        if (!any) out[best][i] = 1;
      }
      for (int j = 0; j < comps.size(); j++) v.put(comps.get(j), out[j]);
    }
    speedClass(p, units, lnEmp, v, year);
    counts(p, units, section, v, year);
    costs(p, units, v, year);

    // keep the items of this year, in items.yaml order
    List<String> items = new ArrayList<>();
    Map<String, double[]> values = new LinkedHashMap<>();
    for (Item it : survey.contentItems()) {
      if (!it.existsIn(year)) continue;
      double[] x = v.get(it.id());
      if (x == null) continue;
      items.add(it.id());
      values.put(it.id(), x);
    }
    for (var e : v.entrySet()) values.putIfAbsent(e.getKey(), e.getValue()); // latent traits last
    return new YearTruth(year, units, items, values);
  }

  static long idOf(Panel p, int u) {
    return p.binId[u];
  }

  private void speedClass(Panel p, int[] units, double[] lnEmp, Map<String, double[]> v, int year) {
    if (!exists("broadband_speed_class", null, year)) return;
    double[] fixed = v.get("internet_fixed_broadband");
    double[] mobile = v.get("internet_mobile_broadband");
    double[] out = new double[units.length];
    long s = Rng.stream("broadband_speed_class");
    for (int i = 0; i < units.length; i++) {
      boolean bb = (fixed != null && fixed[i] == 1) || (mobile != null && mobile[i] == 1);
      if (!bb) {
        out[i] = Double.NaN;
        continue;
      }
      double x =
          1.2
              + 0.3 * (year - 2015)
              + 0.3 * lnEmp[i]
              + 0.8 * Rng.normal(seed, idOf(p, units[i]), s, 0);
      out[i] = Math.max(1, Math.min(5, Math.round(x)));
    }
    v.put("broadband_speed_class", out);
  }

  private void counts(Panel p, int[] units, String[] section, Map<String, double[]> v, int year) {
    int n = units.length;
    double[] users = v.get("uses_computers");
    double[] inet = v.get("has_internet");
    SyntheticModel.Counts c = model.computers();
    double[] g = new double[n];
    long sPc = Rng.stream("n_computers");
    long nUsers = 0;
    for (int i = 0; i < n; i++) {
      if (users[i] != 1) continue;
      nUsers++;
      long id = idOf(p, units[i]);
      g[i] =
          Math.pow(p.employees[units[i]], c.elasticity())
              * Math.exp(
                  c.sigma() * Rng.normal(seed, id, sPc, 0)
                      + 0.15 * Rng.normal(seed, id, sPc, year));
    }
    double target = SyntheticModel.logLinear(c.totals(), year) * scale;
    double lo = 0;
    double hi = 1;
    while (pcTotal(g, users, hi) < target && hi < 1e9) hi *= 2;
    for (int it = 0; it < 60; it++) {
      double mid = (lo + hi) / 2;
      if (pcTotal(g, users, mid) < target) lo = mid;
      else hi = mid;
    }
    double factor = target <= nUsers ? 0 : hi;
    double[] pcs = new double[n];
    for (int i = 0; i < n; i++) pcs[i] = users[i] == 1 ? 1 + Math.floor(factor * g[i]) : 0;
    v.put("n_computers", pcs);

    long sU = Rng.stream("employees_using_computers");
    long sS = Rng.stream("n_ict_specialists");
    if (exists("n_computers_internet", null, year)) {
      double[] pi = new double[n];
      for (int i = 0; i < n; i++) {
        if (inet[i] != 1) continue;
        double share =
            c.internetStart()
                + c.internetPerYear() * (year - 2007)
                + 0.3 * (Rng.u(seed, idOf(p, units[i]), sPc, 1) - 0.5);
        share = Math.max(0.05, Math.min(1, share));
        pi[i] = Math.max(1, Math.min(pcs[i], Math.round(pcs[i] * share)));
      }
      v.put("n_computers_internet", pi);
    }
    if (exists("employees_using_computers", null, year)) {
      double[] eu = new double[n];
      for (int i = 0; i < n; i++) {
        if (users[i] != 1) continue;
        int e = p.employees[units[i]];
        double share =
            c.usingStart()
                + c.usingPerYear() * (year - 2007)
                + 0.1 * model.sectionEffects().getOrDefault(section[i], 0.0)
                + 0.4 * (Rng.u(seed, idOf(p, units[i]), sU, 0) - 0.5);
        share = Math.max(0.02, Math.min(1, share));
        eu[i] = Math.max(1, Math.min(e, Math.round(e * share)));
      }
      v.put("employees_using_computers", eu);
    }
    if (exists("n_ict_specialists", null, year)) {
      double[] sp = new double[n];
      for (int i = 0; i < n; i++) {
        if (users[i] != 1) continue;
        int e = p.employees[units[i]];
        double x =
            e
                * c.specialistsPerEmployee()
                * c.specialistsSectionFactor().getOrDefault(section[i], 1.0)
                * Math.exp(0.8 * Rng.normal(seed, idOf(p, units[i]), sS, 0));
        sp[i] = Math.min(e, Math.floor(x));
      }
      v.put("n_ict_specialists", sp);
    }
  }

  private static double pcTotal(double[] g, double[] users, double factor) {
    double t = 0;
    for (int i = 0; i < g.length; i++) if (users[i] == 1) t += 1 + Math.floor(factor * g[i]);
    return t;
  }

  private void costs(Panel p, int[] units, Map<String, double[]> v, int year) {
    int n = units.length;
    double[] users = v.get("uses_computers");
    double[] cloud = v.get("uses_cloud");
    double[] digital = v.get("uses_digital");
    SyntheticModel.Costs c = model.costs();
    long s = Rng.stream("ict_costs_total");
    double[] g = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      if (users[i] != 1) continue;
      long id = idOf(p, units[i]);
      g[i] =
          Math.pow(p.employees[units[i]], c.elasticity())
              * Math.exp(
                  c.sigma() * Rng.normal(seed, id, s, 0) + 0.3 * Rng.normal(seed, id, s, year))
              * (1
                  + (cloud != null ? 0.5 * cloud[i] : 0)
                  + (digital != null ? 0.8 * digital[i] : 0));
      sum += g[i];
    }
    double k = sum == 0 ? 0 : SyntheticModel.logLinear(c.totals(), year) * scale / sum;
    // amounts are kept in tenths of thousand tenge, so the components add up exactly
    long[] tenths = new long[n];
    for (int i = 0; i < n; i++) tenths[i] = users[i] == 1 ? Math.round(k * g[i] * 10) : 0;
    List<String> comps = new ArrayList<>();
    for (String comp : c.componentShares().keySet()) if (exists(comp, null, year)) comps.add(comp);
    double[] total = new double[n];
    for (int i = 0; i < n; i++) total[i] = tenths[i] / 10.0;
    v.put("ict_costs_total", total);
    if (comps.isEmpty()) return;
    double[][] out = new double[comps.size()][n];
    double[] w = new double[comps.size()];
    for (int i = 0; i < n; i++) {
      if (tenths[i] == 0) continue;
      long id = idOf(p, units[i]);
      double ws = 0;
      for (int j = 0; j < comps.size(); j++) {
        w[j] =
            c.componentShares().get(comps.get(j))
                * Math.exp(
                    c.componentSigma() * Rng.normal(seed, id, Rng.stream(comps.get(j)), year));
        ws += w[j];
      }
      long rest = tenths[i];
      for (int j = 1; j < comps.size(); j++) {
        long part = (long) Math.floor(tenths[i] * w[j] / ws);
        out[j][i] = part / 10.0;
        rest -= part;
      }
      out[0][i] = rest / 10.0;
    }
    for (int j = 0; j < comps.size(); j++) v.put(comps.get(j), out[j]);
  }
}
