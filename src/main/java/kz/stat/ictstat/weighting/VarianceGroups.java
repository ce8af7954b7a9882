package kz.stat.ictstat.weighting;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.survey.SampleDesign.LonelyPolicy;

/**
 * Applies the policy for strata with a single responding unit ("lonely" strata, r_h = 1 &lt; N_h)
 * and returns, for every stratum, the variance group it belongs to.
 *
 * <p>A variance group is the unit over which the Taylor variance is computed, V_g = (1 − n_g/N_g)
 * n_g/(n_g − 1) Σ_{k∈g} (w_k v_k − mean_g(w v))², with n_g respondents and N_g frame units. It is
 * the stratum itself except under {@code collapse}. The policies (design.yaml {@code
 * lonely_strata}):
 *
 * <ul>
 *   <li>{@code fail}: any lonely stratum stops the run, listing them;
 *   <li>{@code certainty}: the lonely stratum contributes no variance (R survey {@code
 *       survey.lonely.psu = "certainty"});
 *   <li>{@code collapse}: the lonely stratum is pooled with the stratum of the same activity and
 *       size in the region next in code order (else the previous one; else the next stratum of the
 *       same size class); the pooled group uses N_g = Σ N_h, n_g = Σ r_h and the unit weights
 *       unchanged (R: strata recoded to the groups, {@code fpc = N_g}, the original weights);
 *   <li>{@code average}: lonely strata contribute nothing and the variance is scaled by H / (H −
 *       L), H the strata with a respondent and L the lonely ones in the year, i.e. each lonely
 *       stratum gets the average contribution of the others (R {@code survey.lonely.psu =
 *       "average"}).
 * </ul>
 *
 * Every application is recorded per stratum and reported in the estimate flags.
 */
public final class VarianceGroups {
  private VarianceGroups() {}

  /** Where one stratum went. {@code treatment} is null for a stratum that is not lonely. */
  public record Assignment(StratumDesign stratum, String varGroup, String treatment) {}

  /** Resolves the variance groups of all strata (any number of years). */
  public static List<Assignment> resolve(List<StratumDesign> strata, LonelyPolicy policy) {
    List<StratumDesign> lonely = strata.stream().filter(StratumDesign::lonely).toList();
    if (policy == LonelyPolicy.FAIL && !lonely.isEmpty()) {
      List<String> names =
          lonely.stream().limit(10).map(s -> s.year() + " " + s.stratum()).toList();
      throw IctstatException.runFailed(
          lonely.size()
              + " strata have a single responding unit and no variance estimate (lonely_strata:"
              + " fail): "
              + String.join(", ", names)
              + (lonely.size() > 10 ? ", …" : ""),
          "set lonely_strata in design.yaml (or --lonely) to certainty, collapse or average, or"
              + " recover the non-response of these strata");
    }
    Map<String, String> parent = new HashMap<>();
    Map<String, String> treatment = new HashMap<>();
    if (policy == LonelyPolicy.COLLAPSE) {
      collapse(strata, parent, treatment);
    }
    List<Assignment> out = new ArrayList<>(strata.size());
    Map<String, TreeSet<String>> members = new HashMap<>();
    for (StratumDesign s : strata) {
      members.computeIfAbsent(find(parent, key(s)), k -> new TreeSet<>()).add(s.stratum());
    }
    for (StratumDesign s : strata) {
      String root = find(parent, key(s));
      TreeSet<String> group = members.get(root);
      String varGroup = group.size() == 1 ? s.stratum() : String.join("+", group);
      String t =
          !s.lonely()
              ? (group.size() > 1 ? "collapse" : null)
              : switch (policy) {
                case CERTAINTY -> "certainty";
                case AVERAGE -> "average";
                case COLLAPSE -> treatment.getOrDefault(key(s), "collapse");
                case FAIL -> throw new IllegalStateException("unreachable");
              };
      out.add(new Assignment(s, varGroup, t));
    }
    return out;
  }

  private static void collapse(
      List<StratumDesign> strata, Map<String, String> parent, Map<String, String> treatment) {
    Map<Integer, List<StratumDesign>> byYear = new TreeMap<>();
    for (StratumDesign s : strata) byYear.computeIfAbsent(s.year(), y -> new ArrayList<>()).add(s);
    Comparator<StratumDesign> order =
        Comparator.comparing(StratumDesign::sizeClass, Comparator.nullsFirst(String::compareTo))
            .thenComparing(StratumDesign::section, Comparator.nullsFirst(String::compareTo))
            .thenComparing(StratumDesign::region, Comparator.nullsFirst(String::compareTo));
    for (List<StratumDesign> year : byYear.values()) {
      List<StratumDesign> live =
          year.stream().filter(s -> s.respondents() >= 1).sorted(order).toList();
      Map<String, List<StratumDesign>> cell = new LinkedHashMap<>();
      Map<String, List<StratumDesign>> size = new LinkedHashMap<>();
      for (StratumDesign s : live) {
        cell.computeIfAbsent(s.sizeClass() + "|" + s.section(), k -> new ArrayList<>()).add(s);
        size.computeIfAbsent(String.valueOf(s.sizeClass()), k -> new ArrayList<>()).add(s);
      }
      for (StratumDesign s : live) {
        if (!s.lonely()) continue;
        StratumDesign partner = neighbour(cell.get(s.sizeClass() + "|" + s.section()), s);
        if (partner == null) partner = neighbour(size.get(String.valueOf(s.sizeClass())), s);
        if (partner == null) {
          treatment.put(key(s), "certainty (no stratum to collapse with)");
          continue;
        }
        union(parent, key(s), key(partner));
      }
    }
  }

  /** The next element after {@code s} in the ordered list, else the previous one. */
  private static StratumDesign neighbour(List<StratumDesign> ordered, StratumDesign s) {
    int i = ordered.indexOf(s);
    if (i + 1 < ordered.size()) return ordered.get(i + 1);
    if (i > 0) return ordered.get(i - 1);
    return null;
  }

  private static String key(StratumDesign s) {
    return s.year() + "\u0000" + s.stratum();
  }

  private static String find(Map<String, String> parent, String k) {
    String p = parent.getOrDefault(k, k);
    if (p.equals(k)) return k;
    String root = find(parent, p);
    parent.put(k, root);
    return root;
  }

  private static void union(Map<String, String> parent, String a, String b) {
    String ra = find(parent, a);
    String rb = find(parent, b);
    if (ra.equals(rb)) return;
    if (ra.compareTo(rb) < 0) parent.put(rb, ra);
    else parent.put(ra, rb);
  }
}
