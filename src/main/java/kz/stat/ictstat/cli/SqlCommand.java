package kz.stat.ictstat.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.spark.TableCatalog;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "sql",
    description =
        "Run SQL over the warehouse tables (schemas ref, raw, core, pub, research): one query with"
            + " -e, or an interactive prompt.")
final class SqlCommand extends BaseCommand {
  enum Format {
    table,
    csv,
    json
  }

  @Option(
      names = {"-e", "--execute"},
      paramLabel = "SQL",
      description = "the query to run")
  String query;

  @Option(
      names = "--format",
      description = "output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
      defaultValue = "table")
  Format format;

  @Option(
      names = "--max-rows",
      defaultValue = "1000",
      description = "rows shown at most (default: ${DEFAULT-VALUE}); csv and json stream all rows")
  int maxRows;

  @Option(
      names = "--ddl",
      description = "print the statements that register the tables in an external metastore")
  boolean ddl;

  /** The schemas each access profile may see; confidential schemas are never registered. */
  static List<String> visibleSchemas(String profile) {
    return profile.equals("analyst") ? List.of("ref", "pub", "research") : TableCatalog.SCHEMAS;
  }

  @Override
  protected int execute(Context ctx) throws Exception {
    TableCatalog catalog = ctx.catalog();
    List<String> schemas = visibleSchemas(ctx.config().profile());
    if (ddl) {
      for (var e : catalog.existing().entrySet()) {
        if (!schemas.contains(e.getKey().substring(0, e.getKey().indexOf('.')))) continue;
        ctx.out()
            .printf(
                "CREATE TABLE IF NOT EXISTS %s USING DELTA LOCATION '%s';%n",
                e.getKey(), e.getValue());
      }
      return 0;
    }
    catalog.registerAll(schemas);
    for (String s : schemas) ctx.spark().sql("CREATE DATABASE IF NOT EXISTS " + s);
    if (query != null) {
      run(ctx, query);
      return 0;
    }
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    StringBuilder buf = new StringBuilder();
    ctx.out().print("ictstat> ");
    ctx.out().flush();
    for (String line; (line = in.readLine()) != null; ) {
      if (buf.isEmpty()
          && (line.isBlank()
              || line.strip().equalsIgnoreCase("quit")
              || line.strip().equalsIgnoreCase("exit"))) {
        if (!line.isBlank()) break;
      } else {
        buf.append(line).append('\n');
        if (line.strip().endsWith(";")) {
          String sql = buf.toString().strip();
          buf.setLength(0);
          try {
            run(ctx, sql.substring(0, sql.length() - 1));
          } catch (IctstatException e) {
            System.err.println("error: " + e.getMessage());
          }
        }
      }
      ctx.out().print(buf.isEmpty() ? "ictstat> " : "      -> ");
      ctx.out().flush();
    }
    return 0;
  }

  private void run(Context ctx, String sql) {
    Dataset<Row> df;
    try {
      df = ctx.spark().sql(sql);
    } catch (Exception e) { // AnalysisException and ParseException are checked in Java's eyes
      throw explain(ctx, sql, e);
    }
    PrintStream out = ctx.out();
    switch (format) {
      case table -> out.print(kz.stat.ictstat.notebook.NotebookRunner.table(df, maxRows));
      case csv -> {
        out.println(String.join(",", df.columns()));
        for (Iterator<Row> it = df.toLocalIterator(); it.hasNext(); ) {
          Row r = it.next();
          StringBuilder b = new StringBuilder();
          for (int i = 0; i < r.length(); i++) {
            if (i > 0) b.append(',');
            b.append(csv(r.get(i)));
          }
          out.println(b);
        }
      }
      case json -> {
        for (Iterator<String> it = df.toJSON().toLocalIterator(); it.hasNext(); )
          out.println(it.next());
      }
    }
  }

  private static String csv(Object v) {
    if (v == null) return "";
    String s = v.toString();
    return s.contains(",") || s.contains("\"") || s.contains("\n")
        ? "\"" + s.replace("\"", "\"\"") + "\""
        : s;
  }

  private static IctstatException explain(Context ctx, String sql, Exception e) {
    String msg = String.valueOf(e.getMessage()).strip().lines().findFirst().orElse("");
    if (msg.contains("TABLE_OR_VIEW_NOT_FOUND") || msg.contains("SCHEMA_NOT_FOUND")) {
      String lower = sql.toLowerCase(Locale.ROOT);
      for (String hidden : TableCatalog.SCHEMAS) {
        if (!visibleSchemas(ctx.config().profile()).contains(hidden)
            && lower.matches("(?s).*\\b" + hidden + "\\.\\w+.*")) {
          return IctstatException.usage(
              "schema '"
                  + hidden
                  + "' is confidential and not available in the '"
                  + ctx.config().profile()
                  + "' profile",
              "query pub.* (published estimates) or research.* (de-identified microdata) instead");
        }
      }
      return IctstatException.usage(
          "query failed: " + msg,
          "`SHOW TABLES IN pub` (or ref, core, raw, research) lists what exists; `ictstat tables` shows row counts");
    }
    return IctstatException.usage("query failed: " + msg, "check the SQL");
  }
}
