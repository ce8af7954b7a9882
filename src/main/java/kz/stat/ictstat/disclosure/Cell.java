package kz.stat.ictstat.disclosure;

/**
 * One published cell of one indicator and year, with what disclosure control needs.
 *
 * @param magnitude a magnitude total (kind total): the frequency rule counts non-zero contributors
 *     and the dominance and p % rules apply
 * @param additive counts and totals (cost of a secondary suppression = |estimate|); for shares and
 *     ratios the cost is the number of respondents
 * @param top1 largest weighted contribution w·y to the cell (magnitude cells), else 0
 * @param top2 second largest, else 0
 * @param total sum of the weighted contributions (magnitude cells), else 0
 */
public record Cell(
    String indicator,
    String domainType,
    String domainCode,
    boolean magnitude,
    boolean additive,
    Double estimate,
    Double rse,
    long nResp,
    long nNonzero,
    double top1,
    double top2,
    double total) {

  /** Identifies a cell within one indicator and year: {@code domain_type/domain_code}. */
  public String key() {
    return domainType + "/" + domainCode;
  }

  /** Contributors counted by the frequency rule. */
  public long contributors() {
    return magnitude ? nNonzero : nResp;
  }

  /** A cell without contributors: nothing to disclose, and no protection when suppressed. */
  public boolean empty() {
    return contributors() == 0;
  }

  /** Cost of suppressing this cell as a secondary suppression (smaller is chosen first). */
  public double cost() {
    if (additive) return estimate == null ? 0 : Math.abs(estimate);
    return nResp;
  }
}
