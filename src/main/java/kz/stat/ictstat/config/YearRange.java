package kz.stat.ictstat.config;

import java.util.stream.IntStream;

/** An inclusive range of reference years, written {@code 2024} or {@code 2004-2024}. */
public record YearRange(int first, int last) {
  public static final int FIRST_SURVEY_YEAR = 2004;

  public YearRange {
    if (first > last) {
      throw new IllegalArgumentException("first year " + first + " is after last year " + last);
    }
    if (first < FIRST_SURVEY_YEAR || last > 2100) {
      throw new IllegalArgumentException(
          "years must lie in "
              + FIRST_SURVEY_YEAR
              + "-2100 (the survey started in 2004), got "
              + first
              + "-"
              + last);
    }
  }

  public static YearRange of(int year) {
    return new YearRange(year, year);
  }

  public static YearRange parse(String text) {
    String t = text.trim();
    try {
      int dash = t.indexOf('-');
      if (dash < 0) return of(Integer.parseInt(t));
      return new YearRange(
          Integer.parseInt(t.substring(0, dash).trim()),
          Integer.parseInt(t.substring(dash + 1).trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a year or a range like 2004-2024");
    }
  }

  public boolean contains(int year) {
    return year >= first && year <= last;
  }

  /**
   * The range as a Spark SQL predicate on the column {@code year}, with plain bounds: Delta 4.0
   * cannot use a BETWEEN as the replaceWhere predicate of a table that already holds data.
   */
  public String sql() {
    return first == last ? "year = " + first : "year >= " + first + " AND year <= " + last;
  }

  public int[] years() {
    return IntStream.rangeClosed(first, last).toArray();
  }

  @Override
  public String toString() {
    return first == last ? Integer.toString(first) : first + "-" + last;
  }
}
