package kz.stat.ictstat.controls;

import java.util.Locale;

/** Where a rule looks: inside one record, across the records of a year, or at the year before. */
public enum RuleKind {
  /** Logical, arithmetic, range, code validity and check-digit rules on one record. */
  IN_RECORD,
  /** Rules that need the other records of the year (duplicates, sample membership). */
  CROSS_RECORD,
  /** Rules comparing a record with the same BIN's record of the previous year. */
  CROSS_YEAR;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
