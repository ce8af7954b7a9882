package kz.stat.ictstat.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kz.stat.ictstat.cli.Main;
import kz.stat.ictstat.config.JobConfig;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.survey.Item;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two years of mixed variants through the CLI into Delta: exact reconciliation per file, the
 * canonical schema, checksum skip, re-ingest of one changed year with the other untouched, --force
 * without duplicates, and two concurrent ingests of different years.
 */
@SparkTest
class IngestEndToEndTest {
  static SurveyDefinitions survey;
  @TempDir static Path input;

  @BeforeAll
  static void inputs() {
    survey = SurveyLoader.load(Path.of("conf"));
    var fx = new Fixtures(survey, input);
    // 2014, form v2007: Windows-1251, ';', CRLF, decimal comma; one bad line in each file
    fx.register(2014, 5, "12345,2014,62010,751110000,110,11,1,3,1");
    fx.responses(2014, Fixtures.Variant.cp1251SemicolonDecimalComma(), 4, "100000000009;2014;Б");
    // 2015, form v2015: two regional files, UTF-8 with BOM ';' decimal comma and UTF-8 ','
    fx.register(2015, 6);
    fx.responses(
        2015,
        "responses_2015_71.csv",
        Fixtures.Variant.utf8BomSemicolonDecimalComma(),
        List.of(fx.responseRow(2015, 1), fx.responseRow(2015, 2), fx.responseRow(2015, 3)));
    Map<String, String> bad = fx.responseRow(2015, 6);
    bad.put("s1_03", "six");
    fx.responses(
        2015,
        "responses_2015_75.csv",
        Fixtures.Variant.utf8Comma(),
        List.of(fx.responseRow(2015, 4), fx.responseRow(2015, 5), bad));
  }

  private static long count(TableCatalog c, String table, String where) {
    return c.read(table).where(where).count();
  }

  private static long versions(SparkSession spark, TableCatalog c, String table) {
    return spark.sql("DESCRIBE HISTORY delta.`" + c.location(table) + "`").count();
  }

  private static IngestResult ingest(SparkSession spark, TableCatalog c, IngestOptions o) {
    return new Ingest(spark, c, survey, o, System.out).execute();
  }

  @Test
  void ingestsReconcilesSkipsAndReplacesOneYear(
      SparkSession spark, TableCatalog catalog, JobConfig config) throws Exception {
    int code =
        Main.execute(
            "ingest",
            "--input",
            input.toString(),
            "--warehouse",
            config.warehouse().toString(),
            "--years",
            "2014-2015");
    assertEquals(0, code);

    // per file: rows read = accepted + quarantined, counted by hand from the fixtures
    Map<String, long[]> expected =
        Map.of(
            "2014/register_2014.csv", new long[] {6, 5, 1},
            "2014/responses_2014.csv", new long[] {5, 4, 1},
            "2015/register_2015.csv", new long[] {6, 6, 0},
            "2015/responses_2015_71.csv", new long[] {3, 3, 0},
            "2015/responses_2015_75.csv", new long[] {3, 2, 1});
    List<Row> log = catalog.read(Ingest.LOG).collectAsList();
    assertEquals(5, log.size());
    for (Row r : log) {
      long[] e = expected.get(r.<String>getAs("file"));
      assertEquals(e[0], (long) r.getAs("rows_read"), r.toString());
      assertEquals(e[1], (long) r.getAs("accepted"), r.toString());
      assertEquals(e[2], (long) r.getAs("quarantined"), r.toString());
      assertEquals("ok", r.getAs("status"));
    }
    Row enc = catalog.read(Ingest.LOG).where("file = '2015/responses_2015_71.csv'").first();
    assertEquals("utf-8+bom", enc.getAs("encoding"));
    assertEquals("comma", enc.getAs("decimal"));
    assertEquals("v2015", enc.getAs("layout"));
    assertEquals(
        "windows-1251",
        catalog
            .read(Ingest.LOG)
            .where("file = '2014/responses_2014.csv'")
            .first()
            .getAs("encoding"));

    assertEquals(11, catalog.read(Ingest.RAW_RESPONSES).count());
    assertEquals(12, catalog.read(Ingest.RAW_REGISTER).count());
    assertEquals(3, catalog.read(Ingest.QUARANTINE).count());
    assertEquals(9, catalog.read(Ingest.CORE_RESPONSES).count());
    assertEquals(11, catalog.read(Ingest.CORE_REGISTER).count());
    Row q =
        catalog.read(Ingest.QUARANTINE).where("source_file = '2015/responses_2015_75.csv'").first();
    assertEquals(4L, (long) q.getAs("source_line"));
    assertEquals(
        "100000000009;2014;Б", // decoded from Windows-1251
        catalog
            .read(Ingest.QUARANTINE)
            .where("source_file = '2014/responses_2014.csv'")
            .first()
            .getAs("raw_text"));
    assertEquals("column s1_03 (n_computers): 'six' is not a whole number", q.getAs("reason"));

    // canonical schema: bin, year, form_version, every other item with its type, lineage
    List<String> names = new ArrayList<>(List.of("bin", "year", "form_version"));
    for (Item i : survey.items().values()) {
      if (!i.id().equals("bin") && !i.id().equals("year")) names.add(i.id());
    }
    names.addAll(List.of("source_file", "source_line", "ingested_at"));
    var schema = catalog.read(Ingest.CORE_RESPONSES).schema();
    assertEquals(names, List.of(schema.fieldNames()));
    for (Item i : survey.items().values()) {
      StructField f = schema.apply(i.id());
      assertEquals(i.type().sparkType(), f.dataType(), i.id());
    }
    assertEquals(DataTypes.LongType, schema.apply("source_line").dataType());
    assertEquals(
        List.of("bin", "year", "oked", "kato", "krp", "kfs", "kse", "employees", "activity_status"),
        List.of(catalog.read(Ingest.CORE_REGISTER).schema().fieldNames()));

    Row r2014 =
        catalog.read(Ingest.CORE_RESPONSES).where("year = 2014 AND bin = '100000000002'").first();
    assertEquals("v2007", r2014.getAs("form_version"));
    assertEquals(2.5, (double) r2014.getAs("ict_costs_total"), 0.0); // written "2,5"
    assertNull(r2014.getAs("uses_cloud")); // not in form v2007
    assertEquals("2014/responses_2014.csv", r2014.getAs("source_file"));
    assertEquals(3L, (long) r2014.getAs("source_line"));
    // n_computers = i for the accepted units 1..5 of 2015
    assertEquals(
        15L,
        catalog
            .read(Ingest.CORE_RESPONSES)
            .where("year = 2015")
            .agg(org.apache.spark.sql.functions.sum("n_computers"))
            .first()
            .getLong(0));

    // same files again: recognised by checksum, nothing written
    long before = versions(spark, catalog, Ingest.CORE_RESPONSES);
    IngestOptions both = IngestOptions.detect(input, new YearRange(2014, 2015));
    IngestResult again = ingest(spark, catalog, both);
    assertEquals(List.of(2014, 2015), again.unchanged());
    assertTrue(again.ingested().isEmpty());
    assertEquals(before, versions(spark, catalog, Ingest.CORE_RESPONSES));

    // one file of 2015 changes: 2015 replaced, 2014 untouched
    var ingestedAt2014 =
        catalog.read(Ingest.CORE_RESPONSES).where("year = 2014").first().getAs("ingested_at");
    Path f71 = input.resolve("2015/responses_2015_71.csv");
    Files.writeString(
        f71,
        Files.readString(f71)
            + String.join(";", new Fixtures(survey, input).responseRow(2015, 7).values())
                .replace('.', ',')
            + "\n");
    IngestResult changed = ingest(spark, catalog, both);
    assertEquals(List.of(2015), changed.ingested());
    assertEquals(List.of(2014), changed.unchanged());
    assertEquals(
        new FileReport(
            2015,
            "2015/responses_2015_71.csv",
            "responses",
            changed.file("2015/responses_2015_71.csv").sha256(),
            Files.size(f71),
            "utf-8+bom",
            ";",
            "comma",
            "v2015",
            4,
            4,
            0),
        changed.file("2015/responses_2015_71.csv"));
    assertEquals(6, count(catalog, Ingest.CORE_RESPONSES, "year = 2015"));
    assertEquals(4, count(catalog, Ingest.CORE_RESPONSES, "year = 2014"));
    assertEquals(
        ingestedAt2014,
        catalog.read(Ingest.CORE_RESPONSES).where("year = 2014").first().getAs("ingested_at"));

    // --force: replaced, not duplicated
    IngestResult forced =
        ingest(spark, catalog, IngestOptions.detect(input, YearRange.of(2014)).withForce(true));
    assertEquals(List.of(2014), forced.ingested());
    assertEquals(4, count(catalog, Ingest.CORE_RESPONSES, "year = 2014"));
    assertEquals(6, count(catalog, Ingest.RAW_REGISTER, "year = 2014"));
    assertEquals(2, count(catalog, Ingest.LOG, "year = 2014"));
  }

  @Test
  void twoYearsIngestedConcurrentlyBothSucceed(
      SparkSession spark, @TempDir Path wh, @TempDir Path in) throws Exception {
    var fx = new Fixtures(survey, in);
    fx.cleanYear(2014, Fixtures.Variant.cp1251SemicolonCrlf(), 4);
    fx.cleanYear(2015, Fixtures.Variant.utf8Comma(), 5);
    TableCatalog fresh = new TableCatalog(spark, wh);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<IngestResult>> runs = new ArrayList<>();
      for (int year : new int[] {2014, 2015}) {
        runs.add(
            pool.submit(
                () -> {
                  start.await();
                  return new Ingest(
                          spark, fresh, survey, IngestOptions.detect(in, YearRange.of(year)), null)
                      .execute();
                }));
      }
      start.countDown();
      assertEquals(List.of(2014), runs.get(0).get().ingested());
      assertEquals(List.of(2015), runs.get(1).get().ingested());
    } finally {
      pool.shutdown();
    }
    assertEquals(4, count(fresh, Ingest.CORE_RESPONSES, "year = 2014"));
    assertEquals(5, count(fresh, Ingest.CORE_RESPONSES, "year = 2015"));
    assertEquals(4, fresh.read(Ingest.LOG).count());
    assertEquals(9, fresh.read(Ingest.CORE_REGISTER).count());
    assertEquals(0, fresh.read(Ingest.QUARANTINE).count());
  }
}
