package kz.stat.ictstat.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.spark.Stage;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.survey.FormVersion;
import kz.stat.ictstat.survey.Item;
import kz.stat.ictstat.survey.ItemType;
import kz.stat.ictstat.survey.SurveyDefinitions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code ictstat ingest}: the yearly input files into Delta, losing nothing.
 *
 * <p>Input: {@code <input>/<year>/register_<year>.csv} and either {@code responses_<year>.csv} or
 * several {@code responses_<year>_<region>.csv}, each response file in the layout of the year's
 * form version (conf/forms). Output, all partitioned by year:
 *
 * <ul>
 *   <li>{@code raw.responses}, {@code raw.register}: every data line as received (year,
 *       source_file, source_line, file_sha256, ingested_at, raw_text);
 *   <li>{@code core.responses}: the accepted rows in the canonical typed schema (bin, year,
 *       form_version, every item of conf/items.yaml, NULL where the form lacks it or the answer is
 *       blank; source_file, source_line, ingested_at);
 *   <li>{@code core.register}: the accepted register rows (bin, year, oked, kato, krp, kfs, kse,
 *       employees, activity_status);
 *   <li>{@code raw.quarantine}: the rows that cannot be parsed, with the reason;
 *   <li>{@code raw.ingest_log}: per file, checksum, detected format, rows read = accepted +
 *       quarantined, status.
 * </ul>
 *
 * <p>All or nothing: every file is inspected and parsed, and every file-level problem (missing,
 * empty, header only, unknown layout, binary, another year's data, no readable row) reported
 * together, before the first commit. Then each table gets one Delta commit replacing exactly the
 * years of this run ({@code replaceWhere year IN (…)}); other years are untouched, so runs over
 * disjoint years can run at the same time. The log is written first with status {@code incomplete}
 * and last with {@code ok}: a run killed in between leaves {@code incomplete}, and the next run
 * re-ingests those years whatever their checksums. A year whose files all have the checksums of its
 * last complete ingest is skipped ("unchanged") unless {@code force}.
 */
public final class Ingest {
  public static final String RAW_RESPONSES = "raw.responses";
  public static final String RAW_REGISTER = "raw.register";
  public static final String QUARANTINE = "raw.quarantine";
  public static final String LOG = "raw.ingest_log";
  public static final String CORE_RESPONSES = "core.responses";
  public static final String CORE_REGISTER = "core.register";

  static final StructType LOG_SCHEMA =
      new StructType()
          .add("year", DataTypes.IntegerType, false)
          .add("file", DataTypes.StringType, false)
          .add("kind", DataTypes.StringType, false)
          .add("sha256", DataTypes.StringType, false)
          .add("bytes", DataTypes.LongType, false)
          .add("encoding", DataTypes.StringType, false)
          .add("delimiter", DataTypes.StringType, false)
          .add("decimal", DataTypes.StringType, false)
          .add("layout", DataTypes.StringType, false)
          .add("rows_read", DataTypes.LongType, false)
          .add("accepted", DataTypes.LongType, false)
          .add("quarantined", DataTypes.LongType, false)
          .add("started_at", DataTypes.TimestampType, false)
          .add("finished_at", DataTypes.TimestampType, true)
          .add("status", DataTypes.StringType, false);

  private static final Pattern FILE_NAME =
      Pattern.compile("(register|responses)_([0-9]{4})(_([^.]+))?\\.csv", Pattern.CASE_INSENSITIVE);

  private final SparkSession spark;
  private final TableCatalog catalog;
  private final SurveyDefinitions survey;
  private final IngestOptions options;
  private final PrintStream out;
  private Consumer<String> afterCommit = table -> {};

  public Ingest(
      SparkSession spark,
      TableCatalog catalog,
      SurveyDefinitions survey,
      IngestOptions options,
      PrintStream out) {
    this.spark = spark;
    this.catalog = catalog;
    this.survey = survey;
    this.options = options;
    this.out = out;
  }

  /** Called with the table name after each Delta commit (tests use it to stop a run midway). */
  Ingest afterCommit(Consumer<String> hook) {
    this.afterCommit = hook;
    return this;
  }

  /** One file with its layout columns in header order. */
  record Parsed(InputFile file, String layout, List<Layout.Column> columns) {}

  /** The inputs of one year. */
  record YearInput(int year, FormVersion form, Parsed register, List<Parsed> responses) {
    List<Parsed> all() {
      List<Parsed> l = new ArrayList<>();
      l.add(register);
      l.addAll(responses);
      return l;
    }
  }

  /** Runs the ingest; throws {@link IctstatException} naming every unusable file. */
  public IngestResult execute() {
    long t0 = System.nanoTime();
    Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Stage stage = new Stage(spark, "ingest", out);
    checkOptions(options);
    List<YearInput> found = stage.run("inspect files of " + options.years(), this::inspect);

    List<Integer> unchanged = new ArrayList<>();
    List<YearInput> inputs = new ArrayList<>(found);
    if (!options.force()) {
      Map<Integer, Map<String, String>> last = lastComplete(inputs);
      List<YearInput> todo = new ArrayList<>();
      for (YearInput y : inputs) {
        Map<String, String> now = new TreeMap<>();
        y.all().forEach(p -> now.put(p.file().name(), p.file().sha256()));
        if (now.equals(last.get(y.year()))) {
          unchanged.add(y.year());
          print(
              "  %d: already ingested, unchanged (%d files, same SHA-256); --force re-ingests it%n",
              y.year(), now.size());
        } else {
          todo.add(y);
        }
      }
      inputs.retainAll(todo);
    }
    if (inputs.isEmpty()) {
      return new IngestResult(List.of(), unchanged, List.of(), seconds(t0));
    }
    List<Integer> years = inputs.stream().map(YearInput::year).toList();
    String predicate =
        "year IN (" + years.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
    Timestamp ingestedAt = Timestamp.from(started);

    Dataset<Row> responses =
        responsesFrame(inputs.stream().flatMap(y -> y.responses().stream()).toList(), ingestedAt);
    Dataset<Row> register =
        registerFrame(inputs.stream().map(YearInput::register).toList(), ingestedAt);
    responses.persist(StorageLevel.MEMORY_AND_DISK());
    register.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<FileReport> reports =
          stage.run(
              "parse and check " + countFiles(inputs) + " files",
              () -> check(inputs, responses, register));

      List<Row> log = new ArrayList<>();
      for (FileReport r : reports) log.add(logRow(r, started, null, "incomplete"));
      commit(stage, LOG, spark.createDataFrame(log, LOG_SCHEMA), predicate);

      // The raw tables, then the typed ones (a typed row's raw line is always committed), each
      // group written side by side from the cached parse.
      String[] rawCols = {
        "year", "source_file", "source_line", "file_sha256", "ingested_at", "raw_text"
      };
      String[] qCols = {"year", "source_file", "source_line", "raw_text", "reason", "ingested_at"};
      Map<String, Dataset<Row>> raw = new LinkedHashMap<>();
      raw.put(RAW_RESPONSES, sorted(responses.select(cols(rawCols))));
      // a register file is one year, read in line order: its rows need no shuffle to be written
      // one file per year in that order (the response files, many small ones per year, do)
      raw.put(RAW_REGISTER, register.select(cols(rawCols)));
      raw.put(
          QUARANTINE,
          sorted(
              responses
                  .where(col("reason").isNotNull())
                  .select(cols(qCols))
                  .unionByName(register.where(col("reason").isNotNull()).select(cols(qCols)))));
      commitAll(stage, raw, predicate);
      Map<String, Dataset<Row>> typed = new LinkedHashMap<>();
      typed.put(
          CORE_RESPONSES,
          sorted(responses.where(col("reason").isNull()).select(cols(coreResponseColumns()))));
      typed.put(
          CORE_REGISTER,
          register
              .where(col("reason").isNull())
              .select(cols(coreRegisterColumns()))
              .sortWithinPartitions("year", "bin"));
      commitAll(stage, typed, predicate);

      Timestamp finished = Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MILLIS));
      log.clear();
      for (FileReport r : reports) log.add(logRow(r, started, finished, "ok"));
      commit(stage, LOG, spark.createDataFrame(log, LOG_SCHEMA), predicate);

      for (FileReport r : reports) {
        print(
            "  %d %-34s %-6s %-13s '%s' decimal %-5s read %d = accepted %d + quarantined %d%n",
            r.year(),
            r.file(),
            r.layout(),
            r.encoding(),
            r.delimiter(),
            r.decimal(),
            r.rowsRead(),
            r.accepted(),
            r.quarantined());
      }
      IngestResult result = new IngestResult(years, unchanged, reports, seconds(t0));
      print(
          "  ingest: %d year(s), %d files: read %d = accepted %d + quarantined %d in %.1f s (%.0f"
              + " rows/s)%n",
          years.size(),
          reports.size(),
          result.rowsRead(),
          result.accepted(),
          result.quarantined(),
          result.seconds(),
          result.rowsRead() / Math.max(result.seconds(), 1e-3));
      return result;
    } finally {
      responses.unpersist();
      register.unpersist();
    }
  }

  // ---- inspection (driver, streaming) ----

  /** Checks the options that need no Spark (folder exists, decimal comma with ';'). */
  public static void checkOptions(IngestOptions options) {
    if (options.decimal() == IngestOptions.Decimal.COMMA
        && options.delimiter().orElse(';') != ';') {
      throw IctstatException.usage(
          "--decimal comma needs the ';' delimiter, but --delimiter is '"
              + options.delimiter().get()
              + "'",
          "a decimal comma cannot be told apart from a ',' delimiter: give --delimiter ';' or"
              + " --decimal dot");
    }
    if (!Files.isDirectory(options.inputDir())) {
      throw IctstatException.missingFile(
          "input folder",
          options.inputDir(),
          "give --input DIR (or set input.dir) to the folder holding one sub-folder per year, or"
              + " run `ictstat generate` first");
    }
  }

  private List<YearInput> inspect() {
    List<InputProblem> problems = new ArrayList<>();
    List<YearInput> inputs = new ArrayList<>();
    for (int year : options.years().years()) {
      Path dir = options.inputDir().resolve(Integer.toString(year));
      Optional<FormVersion> form = survey.findForm(year);
      if (form.isEmpty()) {
        problems.add(
            new InputProblem(
                dir.toString(),
                "no form version covers year " + year,
                "add a version under conf/forms or narrow --years",
                true));
        continue;
      }
      if (!Files.isDirectory(dir)) {
        problems.add(
            new InputProblem(
                dir.toString(),
                "folder of year " + year + " not found",
                "put the files of " + year + " there, run `ictstat generate`, or narrow --years",
                true));
        continue;
      }
      List<Path> registers = new ArrayList<>();
      List<Path> responses = new ArrayList<>();
      try (var s = Files.list(dir)) {
        for (Path p : s.sorted().toList()) {
          Matcher m = FILE_NAME.matcher(p.getFileName().toString());
          if (!m.matches() || !Files.isRegularFile(p)) continue;
          int named = Integer.parseInt(m.group(2));
          if (named != year) {
            problems.add(
                new InputProblem(
                    rel(p),
                    "file name is for year " + named + " but it lies in the folder of " + year,
                    "move it to the folder " + named,
                    false));
          } else if (m.group(1).equalsIgnoreCase("register")) {
            if (m.group(3) == null) registers.add(p);
          } else {
            responses.add(p);
          }
        }
      } catch (IOException e) {
        problems.add(
            new InputProblem(
                dir.toString(), "cannot be listed: " + e.getMessage(), "check permissions", true));
        continue;
      }
      if (registers.isEmpty()) {
        problems.add(
            new InputProblem(
                dir.resolve("register_" + year + ".csv").toString(),
                "register file not found",
                "put the business register of " + year + " there (run `ictstat generate`)",
                true));
      }
      boolean single =
          responses.stream()
              .anyMatch(
                  p -> p.getFileName().toString().equalsIgnoreCase("responses_" + year + ".csv"));
      if (responses.isEmpty()) {
        problems.add(
            new InputProblem(
                dir.resolve("responses_" + year + ".csv").toString(),
                "no response file (responses_"
                    + year
                    + ".csv or responses_"
                    + year
                    + "_<region>.csv)",
                "put the response files of " + year + " there (run `ictstat generate`)",
                true));
      } else if (single && responses.size() > 1) {
        problems.add(
            new InputProblem(
                rel(dir),
                "holds both responses_"
                    + year
                    + ".csv and regional responses_"
                    + year
                    + "_<region>.csv files: the same units would be ingested twice",
                "keep either the national file or the regional files",
                false));
      }
      Layout formLayout = Layout.form(form.get(), survey);
      Parsed reg =
          registers.isEmpty()
              ? null
              : parse(registers.get(0), year, InputFile.Kind.REGISTER, Layout.register(), problems);
      List<Parsed> resp = new ArrayList<>();
      for (Path p : responses) {
        Parsed r = parse(p, year, InputFile.Kind.RESPONSES, formLayout, problems);
        if (r != null) resp.add(r);
      }
      if (reg != null && resp.size() == responses.size() && !responses.isEmpty()) {
        inputs.add(new YearInput(year, form.get(), reg, resp));
      }
    }
    if (!problems.isEmpty()) throw failure(problems);
    return inputs;
  }

  private Parsed parse(
      Path p, int year, InputFile.Kind kind, Layout layout, List<InputProblem> problems) {
    try {
      InputFile f =
          FileInspector.inspect(p, year, kind, rel(p), options.encoding(), options.delimiter());
      if (options.decimal() == IngestOptions.Decimal.COMMA && f.delimiter() != ';') {
        throw FileInspector.unusable(
            f.name(),
            "--decimal comma needs the ';' delimiter, but the file uses '"
                + f.delimiterLabel()
                + "'",
            "give --decimal auto or dot");
      }
      return new Parsed(f, layout.name(), layout.match(f, survey));
    } catch (FileInspector.Unusable u) {
      problems.add(u.problem);
      return null;
    }
  }

  private String rel(Path p) {
    return options.inputDir().relativize(p).toString().replace('\\', '/');
  }

  static IctstatException failure(List<InputProblem> problems) {
    InputProblem first = problems.get(0);
    boolean usage = problems.stream().allMatch(InputProblem::usage);
    String problem =
        problems.size() == 1
            ? "cannot ingest " + first
            : "cannot ingest: "
                + problems.size()
                + " input problems: "
                + problems.stream().map(InputProblem::toString).collect(Collectors.joining(" | "));
    String fix = first.fix() + "; nothing was written";
    return usage ? IctstatException.usage(problem, fix) : IctstatException.runFailed(problem, fix);
  }

  /** Files and checksums of the last complete ingest per year, from raw.ingest_log. */
  private Map<Integer, Map<String, String>> lastComplete(List<YearInput> inputs) {
    Map<Integer, Map<String, String>> out = new HashMap<>();
    if (inputs.isEmpty() || !catalog.exists(LOG)) return out;
    List<Integer> years = inputs.stream().map(YearInput::year).toList();
    List<Row> rows =
        catalog
            .read(LOG)
            .where(col("year").isin(years.toArray()))
            .select("year", "file", "sha256", "status")
            .collectAsList(); // one row per file: small
    Map<Integer, Boolean> complete = new HashMap<>();
    for (Row r : rows) {
      int y = r.getInt(0);
      out.computeIfAbsent(y, k -> new TreeMap<>()).put(r.getString(1), r.getString(2));
      complete.merge(y, "ok".equals(r.getString(3)), Boolean::logicalAnd);
    }
    out.keySet().removeIf(y -> !complete.getOrDefault(y, false));
    return out;
  }

  // ---- parsing (Spark) ----

  private static String separators(IngestOptions.Decimal d, char delimiter) {
    return switch (d) {
      case DOT -> ".";
      case COMMA -> ",";
      case AUTO -> delimiter == ';' ? ".," : ".";
    };
  }

  /** Files read together: same layout version, same column order and format. */
  private record Group(String layout, List<String> header, char delimiter, String separators) {}

  private Map<Group, List<Parsed>> groups(List<Parsed> files) {
    Map<Group, List<Parsed>> g = new java.util.LinkedHashMap<>();
    for (Parsed p : files) {
      InputFile f = p.file();
      Group k =
          new Group(
              p.layout(),
              p.columns().stream().map(Layout.Column::code).toList(),
              f.delimiter(),
              separators(options.decimal(), f.delimiter()));
      g.computeIfAbsent(k, x -> new ArrayList<>()).add(p);
    }
    return g;
  }

  private Dataset<Row> classified(Group g, List<Parsed> files) {
    return RowParser.parse(
        spark,
        files.stream().map(Parsed::file).toList(),
        files.get(0).columns(),
        g.delimiter(),
        g.separators());
  }

  private static List<Column> lineage(Timestamp ingestedAt) {
    return new ArrayList<>(
        List.of(
            col("year"),
            col("source_file"),
            col("source_line"),
            col("file_sha256"),
            lit(ingestedAt).alias("ingested_at"),
            col("raw_text"),
            col("reason"),
            col("row_year"),
            col("wrong_year"),
            col("comma_decimal"),
            col("dot_decimal")));
  }

  /** All response files: one Spark scan per group of files that share layout and format. */
  private Dataset<Row> responsesFrame(List<Parsed> files, Timestamp ingestedAt) {
    List<Dataset<Row>> frames = new ArrayList<>();
    for (var e : groups(files).entrySet()) {
      List<Column> c = lineage(ingestedAt);
      c.add(lit(e.getKey().layout()).alias("form_version"));
      var present =
          e.getValue().get(0).columns().stream()
              .map(Layout.Column::target)
              .collect(Collectors.toSet());
      for (Item item : survey.items().values()) {
        if (item.type() == ItemType.YEAR) continue;
        c.add(
            present.contains(item.id())
                ? col(item.id())
                : lit(null).cast(item.type().sparkType()).alias(item.id()));
      }
      frames.add(classified(e.getKey(), e.getValue()).select(c.toArray(Column[]::new)));
    }
    return union(frames);
  }

  private Dataset<Row> registerFrame(List<Parsed> files, Timestamp ingestedAt) {
    List<Dataset<Row>> frames = new ArrayList<>();
    for (var e : groups(files).entrySet()) {
      List<Column> c = lineage(ingestedAt);
      for (Layout.Column lc : Layout.register().columns()) {
        if (lc.type() != ItemType.YEAR) c.add(col(lc.target()));
      }
      frames.add(classified(e.getKey(), e.getValue()).select(c.toArray(Column[]::new)));
    }
    return union(frames);
  }

  /** core.responses: bin, year, form_version, the canonical items, lineage. */
  private List<String> coreResponseColumns() {
    List<String> c = new ArrayList<>();
    survey.items().values().stream()
        .filter(i -> i.type() == ItemType.ID)
        .forEach(i -> c.add(i.id()));
    c.add("year");
    c.add("form_version");
    survey.items().values().stream()
        .filter(i -> i.type() != ItemType.ID && i.type() != ItemType.YEAR)
        .forEach(i -> c.add(i.id()));
    c.addAll(List.of("source_file", "source_line", "ingested_at"));
    return c;
  }

  private static List<String> coreRegisterColumns() {
    return Layout.register().columns().stream().map(Layout.Column::target).toList();
  }

  /** Counts per file and the file-level checks that need the rows; throws before any commit. */
  private List<FileReport> check(
      List<YearInput> inputs, Dataset<Row> responses, Dataset<Row> register) {
    String[] c = {
      "source_file",
      "source_line",
      "reason",
      "row_year",
      "wrong_year",
      "comma_decimal",
      "dot_decimal"
    };
    Map<String, Row> stats = new HashMap<>();
    for (Row r :
        responses
            .select(cols(c))
            .unionByName(register.select(cols(c)))
            .groupBy("source_file")
            .agg(
                count(lit(1)).alias("rows"),
                count(when(col("reason").isNull(), lit(1))).alias("accepted"),
                sum(when(col("wrong_year"), lit(1L)).otherwise(lit(0L))).alias("wrong_year"),
                max(when(col("wrong_year"), col("row_year"))).alias("other_year"),
                max(col("comma_decimal")).alias("comma"),
                max(col("dot_decimal")).alias("dot"),
                min(when(col("reason").isNotNull(), struct(col("source_line"), col("reason"))))
                    .alias("first_bad"))
            .collectAsList()) { // one row per file
      stats.put(r.getString(0), r);
    }
    List<InputProblem> problems = new ArrayList<>();
    List<FileReport> reports = new ArrayList<>();
    for (YearInput y : inputs) {
      for (Parsed p : y.all()) {
        InputFile f = p.file();
        Row s = stats.get(f.name());
        long rows = s == null ? 0 : s.getLong(1);
        long accepted = s == null ? 0 : s.getLong(2);
        long wrongYear = s == null ? 0 : s.getLong(3);
        if (rows == 0) {
          problems.add(
              new InputProblem(f.name(), "has no data rows", "export the file again", false));
          continue;
        }
        if (wrongYear * 2 > rows) {
          problems.add(
              new InputProblem(
                  f.name(),
                  wrongYear
                      + " of "
                      + rows
                      + " rows carry year "
                      + s.getString(4)
                      + ", not "
                      + y.year()
                      + ": the file holds another year's data",
                  "put the file of " + y.year() + " in the folder " + y.year(),
                  false));
          continue;
        }
        if (accepted == 0) {
          Row bad = s.getStruct(7);
          problems.add(
              new InputProblem(
                  f.name(),
                  "none of its "
                      + rows
                      + " rows can be read (line "
                      + bad.getLong(0)
                      + ": "
                      + bad.getString(1)
                      + ")",
                  "check the delimiter and the layout (or give --delimiter, --encoding, --decimal)",
                  false));
          continue;
        }
        boolean comma = s.getBoolean(5);
        boolean dot = s.getBoolean(6);
        String decimal = comma && dot ? "mixed" : comma ? "comma" : dot ? "dot" : "none";
        reports.add(
            new FileReport(
                y.year(),
                f.name(),
                f.kind().name().toLowerCase(Locale.ROOT),
                f.sha256(),
                f.bytes(),
                f.encodingLabel(),
                f.delimiterLabel(),
                decimal,
                f.kind() == InputFile.Kind.REGISTER ? "register" : y.form().version(),
                rows,
                accepted,
                rows - accepted));
      }
    }
    if (!problems.isEmpty()) throw failure(problems);
    return reports;
  }

  // ---- writing ----

  private void commit(Stage stage, String table, Dataset<Row> data, String predicate) {
    commitAll(stage, Map.of(table, data), predicate);
  }

  /** Writes the given tables side by side (see {@link Stage#runAll}). */
  private void commitAll(Stage stage, Map<String, Dataset<Row>> tables, String predicate) {
    Map<String, Runnable> writes = new LinkedHashMap<>();
    tables.forEach(
        (table, data) -> writes.put("write " + table, () -> write(table, data, predicate)));
    stage.runAll(writes);
  }

  private void write(String table, Dataset<Row> data, String predicate) {
    for (int attempt = 1; ; attempt++) {
      try {
        catalog.replaceWhere(table, data, predicate, "year");
        break;
      } catch (RuntimeException e) {
        if (attempt >= 5 || !concurrent(e)) throw e;
        sleepQuietly(250L * attempt);
      }
    }
    afterCommit.accept(table);
  }

  /** A conflict with a concurrent writer of other years (table creation, catalog entry). */
  private static boolean concurrent(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.util.ConcurrentModificationException
          || t instanceof java.nio.file.FileAlreadyExistsException
          || t instanceof org.apache.hadoop.fs.FileAlreadyExistsException
          || t instanceof org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException
          || t instanceof org.apache.spark.sql.catalyst.analysis.NamespaceAlreadyExistsException) {
        return true;
      }
    }
    return false;
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Dataset<Row> sorted(Dataset<Row> d) {
    return d.repartition(col("year")).sortWithinPartitions("source_file", "source_line");
  }

  private static Dataset<Row> union(List<Dataset<Row>> frames) {
    Dataset<Row> u = frames.get(0);
    for (int i = 1; i < frames.size(); i++) u = u.unionByName(frames.get(i));
    return u;
  }

  private static Column[] cols(String... names) {
    return java.util.Arrays.stream(names)
        .map(org.apache.spark.sql.functions::col)
        .toArray(Column[]::new);
  }

  private static Column[] cols(List<String> names) {
    return cols(names.toArray(String[]::new));
  }

  private static Row logRow(FileReport r, Instant started, Timestamp finished, String status) {
    return RowFactory.create(
        r.year(),
        r.file(),
        r.kind(),
        r.sha256(),
        r.bytes(),
        r.encoding(),
        r.delimiter(),
        r.decimal(),
        r.layout(),
        r.rowsRead(),
        r.accepted(),
        r.quarantined(),
        Timestamp.from(started),
        finished,
        status);
  }

  private static int countFiles(List<YearInput> inputs) {
    return inputs.stream().mapToInt(y -> y.all().size()).sum();
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private void print(String format, Object... args) {
    if (out != null) {
      out.printf(Locale.ROOT, format, args);
      out.flush();
    }
  }
}
