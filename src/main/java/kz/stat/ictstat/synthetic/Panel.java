package kz.stat.ictstat.synthetic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import kz.stat.ictstat.survey.SampleDesign;
import kz.stat.ictstat.survey.SurveyDefinitions;

/**
 * The business register as a panel of units, advanced one year at a time: deaths, births (until the
 * in-scope active population reaches the year's target), activity status changes, size growth and
 * decline (an AR(1) on log employees), changes of activity and moves between regions, and the
 * regional reforms of 2018 and 2022 applied through {@code kato_succession.csv}, so that a unit
 * keeps its BIN and gets the new KATO code.
 *
 * <p>Units are kept in primitive arrays, one slot per living unit (the dead are compacted away each
 * year); the register of a year is slots 0 … {@link #live()} − 1.
 */
final class Panel {
  private final SyntheticModel model;
  private final long seed;
  private final double scale;
  private final SampleDesign design;

  // classifiers
  final String[] okedCodes;
  final String[] okedSection;
  final boolean[] okedInScope;
  private final Map<String, int[]> okedBySection = new HashMap<>();
  private final int[] krpMin;
  private final int[] krpMax;
  final String[] krpCode;
  final String[] krpSize;
  private final List<String[]> succession = new ArrayList<>(); // from, to, year

  // units (slot = unit id)
  int n;
  String[] bin = new String[1024];
  long[] binId = new long[1024];
  int[] oked = new int[1024];
  int[] kato = new int[1024];
  double[] dev = new double[1024];
  int[] employees = new int[1024];
  byte[] status = new byte[1024];
  byte[] owner = new byte[1024];
  String[] kfs = new String[1024];
  boolean[] alive = new boolean[1024];
  private final Map<Integer, Long> binCounters = new HashMap<>();

  int year;

  Panel(SurveyDefinitions survey, SyntheticModel model, long seed, double scale) {
    this.model = model;
    this.seed = seed;
    this.scale = scale;
    this.design = survey.design();
    var okedRows = survey.classifier("oked").rows();
    okedCodes = new String[okedRows.size()];
    okedSection = new String[okedRows.size()];
    okedInScope = new boolean[okedRows.size()];
    Map<String, List<Integer>> bySec = new LinkedHashMap<>();
    for (int i = 0; i < okedRows.size(); i++) {
      okedCodes[i] = okedRows.get(i).get("oked_code");
      okedSection[i] = okedRows.get(i).get("section");
      okedInScope[i] = inScopeCode(okedCodes[i]);
      bySec.computeIfAbsent(okedSection[i], s -> new ArrayList<>()).add(i);
    }
    bySec.forEach((s, l) -> okedBySection.put(s, l.stream().mapToInt(Integer::intValue).toArray()));
    var krp = survey.classifier("krp").rows();
    krpMin = new int[krp.size()];
    krpMax = new int[krp.size()];
    krpCode = new String[krp.size()];
    krpSize = new String[krp.size()];
    for (int i = 0; i < krp.size(); i++) {
      krpCode[i] = krp.get(i).get("krp_code");
      krpSize[i] = krp.get(i).get("size_class");
      krpMin[i] = Integer.parseInt(krp.get(i).get("employees_min"));
      String max = krp.get(i).get("employees_max");
      krpMax[i] = max == null || max.isBlank() ? Integer.MAX_VALUE : Integer.parseInt(max);
    }
    for (var r : survey.classifier("kato_succession").rows()) {
      succession.add(
          new String[] {
            r.get("from_prefix"), r.get("to_prefix"), r.get("valid_from").substring(0, 4)
          });
    }
    // longest prefixes first, so that 5110 -> 7910 wins over 51 -> 61
    succession.sort((a, b) -> b[0].length() - a[0].length());
  }

  private boolean inScopeCode(String code) {
    for (String p : design.okedScope()) if (code.startsWith(p)) return true;
    return false;
  }

  boolean inScope(int u) {
    return design.activityStatus().contains((int) status[u]) && okedInScope[oked[u]];
  }

  /** Index into the KRP classifier of an employee count. */
  int krpIndex(int emp) {
    for (int i = 0; i < krpCode.length; i++) if (emp >= krpMin[i] && emp <= krpMax[i]) return i;
    return krpCode.length - 1;
  }

  String sizeClass(int u) {
    return krpSize[krpIndex(employees[u])];
  }

  String kse(int u) {
    String sec = okedSection[oked[u]];
    if (sec.equals("K")) return "1200";
    if (sec.equals("O")) return "1300";
    SyntheticModel.Ownership o = model.ownership().get(owner[u]);
    if (sec.equals("P") && o.name().equals("private")) return "1500";
    if (o.kseLarge() != null && sizeClass(u).equals("large")) return o.kseLarge();
    return o.kse();
  }

  /** The number of units living this year: slots 0 … live() − 1 (see {@link #collectLive}). */
  int live() {
    return n;
  }

  /** Advances the panel to {@code target} (creating the first year on the first call). */
  void advanceTo(int target) {
    if (year == 0) {
      year = kz.stat.ictstat.config.YearRange.FIRST_SURVEY_YEAR;
      births(new SplittableRandom(Rng.hash(seed, -1, 1, year)), true);
      collectLive();
    }
    while (year < target) {
      year++;
      SplittableRandom rnd = new SplittableRandom(Rng.hash(seed, -1, 2, year));
      for (int u = 0, living = n; u < living; u++) step(u, rnd);
      births(rnd, false);
      collectLive();
    }
  }

  /**
   * Moves the living units to the front, in order (a unit that died never returns), so the panel
   * holds this year's units only; draws depend on the BIN and the order, never on the slot.
   */
  private void collectLive() {
    int c = 0;
    for (int u = 0; u < n; u++) {
      if (!alive[u]) continue;
      if (c != u) {
        bin[c] = bin[u];
        binId[c] = binId[u];
        oked[c] = oked[u];
        kato[c] = kato[u];
        dev[c] = dev[u];
        employees[c] = employees[u];
        status[c] = status[u];
        owner[c] = owner[u];
        kfs[c] = kfs[u];
        alive[c] = true;
      }
      c++;
    }
    Arrays.fill(bin, c, n, null);
    Arrays.fill(kfs, c, n, null);
    Arrays.fill(alive, c, n, false);
    n = c;
  }

  private void step(int u, SplittableRandom rnd) {
    double r = rnd.nextDouble();
    if (status[u] == 2) {
      if (r < model.inactiveRemovalRate()) {
        alive[u] = false;
        return;
      }
      if (r < model.inactiveRemovalRate() + model.reactivationRate()) status[u] = 1;
    } else {
      double death = model.deathRate().getOrDefault(sizeClass(u), 0.05);
      if (r < death) {
        alive[u] = false;
        return;
      }
      if (r < death + model.deactivationRate()) status[u] = 2;
    }
    double p = model.empPersistence();
    dev[u] = p * dev[u] + Math.sqrt(1 - p * p) * model.empSigma() * gaussian(rnd);
    if (rnd.nextDouble() < model.activityChangeRate()) oked[u] = drawOked(rnd);
    if (rnd.nextDouble() < model.regionMoveRate()) kato[u] = drawKato(rnd);
    employees[u] = employeesOf(u);
    kato[u] = succeed(kato[u], year);
  }

  private void births(SplittableRandom rnd, boolean initial) {
    double target = Math.round(SyntheticModel.linear(model.inScopeActive(), year) * scale);
    long count = 0;
    for (int u = 0; u < n; u++) if (alive[u] && inScope(u)) count++;
    while (count < target) {
      int u = newUnit(rnd, initial);
      if (inScope(u)) count++;
    }
  }

  private int newUnit(SplittableRandom rnd, boolean initial) {
    if (n == bin.length) grow();
    int u = n++;
    int born =
        initial ? model.firstBirthYear() + rnd.nextInt(year - model.firstBirthYear() + 1) : year;
    bin[u] = nextBin(born);
    binId[u] = Long.parseLong(bin[u]);
    oked[u] = drawOked(rnd);
    kato[u] = drawKato(rnd);
    dev[u] = model.empSigma() * gaussian(rnd) - (initial ? 0 : 0.3);
    status[u] = (byte) (initial && rnd.nextDouble() < 0.08 ? 2 : 1);
    double o = rnd.nextDouble();
    byte own = 0;
    double acc = 0;
    for (int i = 0; i < model.ownership().size(); i++) {
      acc += model.ownership().get(i).share();
      if (o < acc) {
        own = (byte) i;
        break;
      }
      own = (byte) i;
    }
    if (okedSection[oked[u]].equals("O")) own = (byte) ownershipIndex("state");
    owner[u] = own;
    List<String> codes = model.ownership().get(own).kfs();
    kfs[u] = codes.get(rnd.nextInt(codes.size()));
    alive[u] = true;
    employees[u] = employeesOf(u);
    return u;
  }

  private int ownershipIndex(String name) {
    for (int i = 0; i < model.ownership().size(); i++) {
      if (model.ownership().get(i).name().equals(name)) return i;
    }
    return 0;
  }

  private int employeesOf(int u) {
    double mu =
        model.empMu() + model.empSectionShift().getOrDefault(okedSection[oked[u]], 0.0) + dev[u];
    return (int) Math.max(1, Math.min(200000, Math.round(Math.exp(mu))));
  }

  private String nextBin(int born) {
    long c = binCounters.getOrDefault(born, 0L);
    String b;
    do {
      b = Bins.nth(born, c++);
    } while (b == null);
    binCounters.put(born, c);
    return b;
  }

  private int drawOked(SplittableRandom rnd) {
    String sec = pick(model.sectionWeights(), rnd);
    int[] codes = okedBySection.get(sec);
    if (codes == null) {
      throw new IllegalStateException("section " + sec + " of synthetic.yaml has no OKED code");
    }
    return codes[rnd.nextInt(codes.length)];
  }

  /** A 9-digit KATO code: region (2004 code), district, 5 digits; then that year's reforms. */
  private int drawKato(SplittableRandom rnd) {
    String r = pick(model.regionWeights(), rnd);
    int region = Integer.parseInt(r);
    int district =
        Integer.parseInt(
            pick(model.districtWeightsByRegion().getOrDefault(r, model.districtWeights()), rnd));
    int rest = 10000 + rnd.nextInt(90000);
    return succeed(region * 10000000 + district * 100000 + rest, year);
  }

  /** Applies the KATO successions valid by {@code year} (longest matching prefix first). */
  int succeed(int code, int year) {
    String s = Integer.toString(code);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (String[] rule : succession) {
        if (Integer.parseInt(rule[2]) <= year && s.startsWith(rule[0])) {
          s = rule[1] + s.substring(rule[0].length());
          changed = true;
          break;
        }
      }
    }
    return Integer.parseInt(s);
  }

  private static double gaussian(SplittableRandom rnd) {
    double u1 = 1.0 - rnd.nextDouble();
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static String pick(Map<String, Double> weights, SplittableRandom rnd) {
    double total = 0;
    for (double w : weights.values()) total += w;
    double x = rnd.nextDouble() * total;
    String last = null;
    for (var e : weights.entrySet()) {
      last = e.getKey();
      x -= e.getValue();
      if (x < 0) return last;
    }
    return last;
  }

  private void grow() {
    int c = bin.length * 2;
    bin = Arrays.copyOf(bin, c);
    binId = Arrays.copyOf(binId, c);
    oked = Arrays.copyOf(oked, c);
    kato = Arrays.copyOf(kato, c);
    dev = Arrays.copyOf(dev, c);
    employees = Arrays.copyOf(employees, c);
    status = Arrays.copyOf(status, c);
    owner = Arrays.copyOf(owner, c);
    kfs = Arrays.copyOf(kfs, c);
    alive = Arrays.copyOf(alive, c);
  }
}
