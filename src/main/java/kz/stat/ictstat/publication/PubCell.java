package kz.stat.ictstat.publication;

import org.apache.spark.sql.Row;

/**
 * A published cell as the products see it: the value is null when the cell is confidential.
 *
 * @param flags letters c (confidential), u (low reliability), b (break in series)
 */
public record PubCell(
    int year,
    String indicator,
    String domainType,
    String domainCode,
    Double estimate,
    Double ciLow,
    Double ciHigh,
    Double rse,
    String flags) {

  public boolean confidential() {
    return flags.indexOf('c') >= 0;
  }

  /** From a row of {@code kz.stat.ictstat.disclosure.Disclosure#SCHEMA}. */
  public static PubCell of(Row r) {
    return new PubCell(
        r.<Integer>getAs("year"),
        r.getAs("indicator"),
        r.getAs("domain_type"),
        r.getAs("domain_code"),
        r.getAs("estimate"),
        r.getAs("ci_low"),
        r.getAs("ci_high"),
        r.getAs("rse"),
        r.getAs("flags"));
  }
}
