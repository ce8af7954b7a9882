package kz.stat.ictstat.weighting;

import org.apache.spark.sql.Row;

/**
 * One stratum of one year: frame size N_h, sampled n_h, responding and fit for estimation r_h.
 *
 * @param stratum "section|size_class|region"
 */
public record StratumDesign(
    int year,
    String stratum,
    String section,
    String sizeClass,
    String region,
    long frameUnits,
    long sampled,
    long respondents,
    boolean takeAll) {

  /**
   * From a row of (year, stratum, section, size_class, region, frame_units, sample_units,
   * respondents, take_all), in that order.
   */
  public static StratumDesign of(Row r) {
    return new StratumDesign(
        r.getInt(0),
        r.getString(1),
        r.getString(2),
        r.getString(3),
        r.getString(4),
        r.getLong(5),
        r.getLong(6),
        r.getLong(7),
        r.getBoolean(8));
  }

  /**
   * A stratum whose single respondent cannot give a variance estimate: r_h = 1 while N_h > 1 (with
   * N_h = 1 the unit is a certainty unit and contributes no variance anyway).
   */
  public boolean lonely() {
    return respondents == 1 && frameUnits > 1;
  }
}
