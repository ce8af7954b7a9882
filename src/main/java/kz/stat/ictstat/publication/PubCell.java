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

  /** From a row of {@code kz.stat.ictstat.disclosure.Disclosure#SCHEMA} (by position). */
  public static PubCell of(Row r) {
    return new PubCell(
        r.getInt(0),
        r.getString(1),
        r.getString(2),
        r.getString(3),
        r.isNullAt(4) ? null : r.getDouble(4),
        r.isNullAt(7) ? null : r.getDouble(7),
        r.isNullAt(8) ? null : r.getDouble(8),
        r.isNullAt(6) ? null : r.getDouble(6),
        r.getString(12));
  }
}
