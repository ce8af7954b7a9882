package kz.stat.ictstat.controls;

import org.apache.spark.sql.types.DataType;

/**
 * A derived column that rule expressions may use besides the canonical items (documented in {@code
 * conf/rules/README.md}).
 *
 * @param name the column name rules write
 * @param type its Spark type
 * @param kind the least rule kind that may use it (cross-record and cross-year helpers make a rule
 *     of that kind)
 * @param source what the column is computed from: a classifier name ({@code kato}, {@code oked}, …,
 *     meaning the canonical item checked against it) or {@code id} (the BIN item)
 * @param meaning one line for the documentation and the respondent report
 */
public record Helper(String name, DataType type, RuleKind kind, String source, String meaning) {}
