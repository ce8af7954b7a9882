package kz.stat.ictstat.weighting;

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
   * A stratum whose single respondent cannot give a variance estimate: r_h = 1 while N_h > 1 (with
   * N_h = 1 the unit is a certainty unit and contributes no variance anyway).
   */
  public boolean lonely() {
    return respondents == 1 && frameUnits > 1;
  }
}
