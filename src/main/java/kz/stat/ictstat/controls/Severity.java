package kz.stat.ictstat.controls;

import java.util.Locale;

/** What a failed rule means for the record. */
public enum Severity {
  /** The record stays out of estimation until the respondent corrects it. */
  FATAL,
  /** The record is kept and flagged for follow-up. */
  WARNING;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
