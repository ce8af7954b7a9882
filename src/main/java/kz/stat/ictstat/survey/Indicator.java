package kz.stat.ictstat.survey;

import java.util.Set;

/**
 * A published indicator (conf/indicators.yaml). Every kind is a total or a ratio of two totals of
 * per-unit values, which is what estimation works with:
 *
 * <ul>
 *   <li>{@code count}: Σ w·y with y = numerator (0/1, or 1 for every unit);
 *   <li>{@code total}: Σ w·y;
 *   <li>{@code share}: Σ w·y / Σ w (×100);
 *   <li>{@code ratio}: Σ w·y / Σ w·x (× publishScale);
 *   <li>{@code employment_share}: Σ w·e·y / Σ w·e with e = employees (×100).
 * </ul>
 *
 * @param numerator Spark SQL expression over canonical items
 * @param denominator Spark SQL expression, or null for count and total
 * @param population Spark SQL filter, or null for all units
 * @param items the canonical items the expressions reference (resolved at load)
 * @param firstYear the first year all referenced items exist
 * @param lastYear the last year they all exist, or null
 */
public record Indicator(
    String id,
    Kind kind,
    String numerator,
    String denominator,
    String population,
    String unit,
    double publishScale,
    String eurostat,
    boolean headline,
    Labels labels,
    Set<String> items,
    int firstYear,
    Integer lastYear) {

  public enum Kind {
    COUNT,
    TOTAL,
    SHARE,
    RATIO,
    EMPLOYMENT_SHARE;

    public boolean isRatio() {
      return this == SHARE || this == RATIO || this == EMPLOYMENT_SHARE;
    }
  }

  public boolean availableIn(int year) {
    return year >= firstYear && (lastYear == null || year <= lastYear);
  }

  /** The per-unit value summed in the numerator, as Spark SQL (employment-weighted if needed). */
  public String numeratorSql() {
    return kind == Kind.EMPLOYMENT_SHARE
        ? "(employees * (" + numerator + "))"
        : "(" + numerator + ")";
  }

  /** The per-unit value summed in the denominator, or null for totals. */
  public String denominatorSql() {
    return switch (kind) {
      case COUNT, TOTAL -> null;
      case SHARE -> "1";
      case EMPLOYMENT_SHARE -> "employees";
      case RATIO -> "(" + denominator + ")";
    };
  }

  /** Spark SQL: the unit answered what the indicator needs (numerator and denominator not NULL). */
  public String answeredSql() {
    String den = denominatorSql();
    return "("
        + numeratorSql()
        + ") IS NOT NULL"
        + (den == null ? "" : " AND (" + den + ") IS NOT NULL");
  }

  /**
   * Spark SQL: the unit counts for the indicator, its year (column {@code year}) within the
   * indicator's years and the unit in its population, if it has one.
   */
  public String inScopeSql(String year) {
    return "("
        + year
        + " >= "
        + firstYear
        + (lastYear == null ? "" : " AND " + year + " <= " + lastYear)
        + ")"
        + (population == null ? "" : " AND coalesce((" + population + "), false)");
  }
}
