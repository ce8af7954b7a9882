package kz.stat.ictstat.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.spark.TableCatalog;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a Jupyter notebook (.ipynb, nbformat 4) top to bottom and stores each cell's output in it,
 * so the notebooks in {@code notebooks/} never rot and read well on a repository page.
 *
 * <p>A code cell whose first line is {@code %%sql} runs as Spark SQL over the warehouse catalog;
 * any other code cell runs as Java through JShell — the engine Java Jupyter kernels use — in this
 * JVM, where {@link #spark()} and {@link #sql(String)} give the session. A failing cell fails the
 * run with the notebook, the cell number and the reason.
 */
public final class NotebookRunner implements AutoCloseable {
  private static SparkSession session;
  private static TableCatalog catalog;
  private static int maxRows = 50;

  private final JShell shell;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  public NotebookRunner(SparkSession spark, TableCatalog tables) {
    session = spark;
    catalog = tables;
    PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
    shell =
        JShell.builder()
            .executionEngine("local")
            .out(out)
            .err(out)
            .compilerOptions("-proc:none")
            .build();
    shell.addToClasspath(System.getProperty("java.class.path"));
    for (String imp :
        List.of(
            "import kz.stat.ictstat.notebook.NotebookRunner;",
            "import static kz.stat.ictstat.notebook.NotebookRunner.*;",
            "import org.apache.spark.sql.*;",
            "import static org.apache.spark.sql.functions.*;",
            "import java.util.*;")) {
      shell.eval(imp);
    }
  }

  /** The Spark session, for Java cells. */
  public static SparkSession spark() {
    return session;
  }

  /** Runs SQL over the warehouse tables, for Java cells. */
  public static Dataset<Row> sql(String query) {
    return session.sql(query);
  }

  /** A text table of a query result (at most 50 rows), for Java cells. */
  public static String show(Dataset<Row> df) {
    return table(df, maxRows);
  }

  /** Executes every code cell of {@code notebook} and writes it back with outputs. */
  public int run(Path notebook) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode nb = (ObjectNode) json.readTree(notebook.toFile());
    catalog.registerAll(TableCatalog.SCHEMAS);
    int count = 0;
    int cellNo = 0;
    for (JsonNode c : nb.withArray("cells")) {
      cellNo++;
      ObjectNode cell = (ObjectNode) c;
      if (!"code".equals(cell.path("cell_type").asText())) continue;
      String source = source(cell);
      ArrayNode outputs = json.createArrayNode();
      String text;
      try {
        text = source.startsWith("%%sql") ? runSql(source.substring(5).strip()) : runJava(source);
      } catch (RuntimeException e) {
        throw IctstatException.runFailed(
            notebook.getFileName() + ", cell " + cellNo + " failed: " + e.getMessage(),
            "fix the cell (or the tables it reads) and run again");
      }
      count++;
      cell.put("execution_count", count);
      if (!text.isEmpty()) {
        ObjectNode o = outputs.addObject();
        o.put("output_type", "stream");
        o.put("name", "stdout");
        ArrayNode lines = o.putArray("text");
        text.lines().forEach(l -> lines.add(l + "\n"));
      }
      cell.set("outputs", outputs);
    }
    Files.writeString(notebook, json.writeValueAsString(nb) + "\n", StandardCharsets.UTF_8);
    return count;
  }

  private String runSql(String query) {
    try {
      return table(session.sql(query), maxRows);
    } catch (Exception e) { // checked AnalysisException in Java's eyes
      throw new IllegalStateException(firstLine(e.getMessage()));
    }
  }

  private String runJava(String source) {
    captured.reset();
    StringBuilder values = new StringBuilder();
    String remaining = source;
    while (!remaining.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info =
          shell.sourceCodeAnalysis().analyzeCompletion(remaining);
      String snippet = info.source();
      if (snippet == null || snippet.isBlank()) {
        throw new IllegalStateException("incomplete Java: " + firstLine(remaining));
      }
      for (SnippetEvent ev : shell.eval(snippet)) {
        if (ev.status() == Snippet.Status.REJECTED) {
          String why =
              shell
                  .diagnostics(ev.snippet())
                  .map(d -> d.getMessage(null))
                  .findFirst()
                  .orElse("rejected");
          throw new IllegalStateException(
              "does not compile: " + firstLine(why) + " in: " + firstLine(snippet));
        }
        if (ev.exception() != null) {
          String msg =
              ev.exception() instanceof EvalException ee
                  ? ee.getExceptionClassName() + ": " + ee.getMessage()
                  : String.valueOf(ev.exception().getMessage());
          throw new IllegalStateException(firstLine(msg));
        }
        if (ev.value() != null
            && !ev.value().isEmpty()
            && (ev.snippet().kind() == Snippet.Kind.EXPRESSION
                || ev.snippet().subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND)) {
          values.append(unquote(ev.value())).append('\n');
        }
      }
      remaining = info.remaining();
    }
    return (captured.toString(StandardCharsets.UTF_8) + values).stripTrailing();
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      return v.substring(1, v.length() - 1).replace("\\n", "\n").replace("\\\"", "\"");
    }
    return v;
  }

  private static String source(ObjectNode cell) {
    JsonNode s = cell.path("source");
    if (s.isArray()) {
      StringBuilder b = new StringBuilder();
      s.forEach(l -> b.append(l.asText()));
      return b.toString();
    }
    return s.asText();
  }

  /** A text table of at most {@code max} rows (a bounded collect). */
  public static String table(Dataset<Row> df, int max) {
    List<Row> rows = df.limit(max + 1).collectAsList();
    String[] cols = df.columns();
    int[] w = new int[cols.length];
    List<String[]> cells = new ArrayList<>();
    for (int i = 0; i < cols.length; i++) w[i] = cols[i].length();
    for (Row r : rows.subList(0, Math.min(max, rows.size()))) {
      String[] c = new String[cols.length];
      for (int i = 0; i < cols.length; i++) {
        c[i] =
            r.isNullAt(i)
                ? "NULL"
                : r.get(i) instanceof Double d && Double.isFinite(d)
                    ? java.math.BigDecimal.valueOf(d).toPlainString()
                    : r.get(i).toString();
        w[i] = Math.max(w[i], c[i].length());
      }
      cells.add(c);
    }
    StringBuilder b = new StringBuilder();
    java.util.function.Consumer<String[]> line =
        c -> {
          for (int i = 0; i < c.length; i++) {
            if (i > 0) b.append(" | ");
            b.append(c[i]).append(" ".repeat(w[i] - c[i].length()));
          }
          b.append('\n');
        };
    line.accept(cols);
    for (int i = 0; i < cols.length; i++) b.append(i > 0 ? "-+-" : "").append("-".repeat(w[i]));
    b.append('\n');
    cells.forEach(line);
    b.append(cells.size()).append(cells.size() == 1 ? " row" : " rows");
    if (rows.size() > max) b.append(" shown (more exist)");
    return b.append('\n').toString();
  }

  private static String firstLine(String s) {
    return String.valueOf(s).strip().lines().findFirst().orElse("");
  }

  @Override
  public void close() {
    shell.close();
  }
}
