package kz.stat.ictstat.survey;

import java.util.List;
import java.util.Map;

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

  /** Spark SQL predicate over a 5-digit {@code oked} column: is the activity in scope. */
  public String okedScopeSql(String column) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < okedScope.size(); i++) {
      if (i > 0) b.append(" OR ");
      b.append("startswith(").append(column).append(", '").append(okedScope.get(i)).append("')");
    }
    return b.append(")").toString();
  }
}
