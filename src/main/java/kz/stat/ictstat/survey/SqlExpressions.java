package kz.stat.ictstat.survey;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import scala.jdk.javaapi.CollectionConverters;

/** Parses Spark SQL expressions from configuration and lists what they reference. */
public final class SqlExpressions {
  private SqlExpressions() {}

  /** A parsed expression: the columns and functions it uses. */
  public record Parsed(Set<String> columns, Set<String> functions) {}

  /**
   * Parses {@code sql}; throws {@link IllegalArgumentException} with the parser's first line if it
   * is not a valid expression.
   */
  public static Parsed parse(String sql) {
    Expression e;
    try {
      e = CatalystSqlParser$.MODULE$.parseExpression(sql);
    } catch (Exception ex) { // ParseException is checked in Java's eyes
      String msg =
          String.valueOf(ex.getMessage()).strip().lines().findFirst().orElse("syntax error");
      throw new IllegalArgumentException("does not parse: " + msg);
    }
    Set<String> cols = new LinkedHashSet<>();
    Set<String> fns = new LinkedHashSet<>();
    walk(e, cols, fns);
    return new Parsed(cols, fns);
  }

  private static void walk(Expression e, Set<String> cols, Set<String> fns) {
    if (e instanceof UnresolvedAttribute a) {
      cols.add(a.name().toLowerCase(Locale.ROOT));
    } else if (e instanceof UnresolvedFunction f) {
      fns.add(f.nameParts().mkString(".").toLowerCase(Locale.ROOT));
    }
    for (Expression c : CollectionConverters.asJava(e.children())) walk(c, cols, fns);
  }
}
