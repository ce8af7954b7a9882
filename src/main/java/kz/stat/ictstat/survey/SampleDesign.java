package kz.stat.ictstat.survey;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The sample design (conf/design.yaml): scope, strata, sampling rates, rotation, and the policy for
 * strata with one responding unit.
 *
 * @param okedScope prefixes of 5-digit OKED codes in scope
 * @param strata domain variables whose combination is a stratum
 * @param samplingRates share sampled per size class; 1.0 = take-all
 */
public record SampleDesign(
    List<Integer> activityStatus,
    List<String> okedScope,
    List<String> strata,
    Map<String, Double> samplingRates,
    int minSamplePerStratum,
    double rotation,
    LonelyPolicy lonelyStrata) {

  public enum LonelyPolicy {
    FAIL,
    CERTAINTY,
    COLLAPSE,
    AVERAGE
  }

  public boolean takeAll(String sizeClass) {
    return samplingRates.getOrDefault(sizeClass, 1.0) >= 1.0;
  }

  /**
   * Spark SQL predicate over a 5-digit {@code oked} column: is the activity in scope. One {@code
   * IN} set per prefix length ({@code substr(oked, 1, 2) IN ('01', …) OR substr(oked, 1, 4) IN
   * ('6419', …)}): a hash lookup per length, where a chain of one {@code startswith} per prefix
   * would make the generated code of every stage that uses it too large to be compiled well.
   */
  public String okedScopeSql(String column) {
    Map<Integer, List<String>> byLength = new TreeMap<>();
    for (String p : okedScope) byLength.computeIfAbsent(p.length(), k -> new ArrayList<>()).add(p);
    if (byLength.isEmpty()) return "FALSE";
    StringJoiner or = new StringJoiner(" OR ", "(", ")");
    byLength.forEach(
        (length, prefixes) ->
            or.add(
                "substr("
                    + column
                    + ", 1, "
                    + length
                    + ") IN ("
                    + prefixes.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", "))
                    + ")"));
    return or.toString();
  }
}
