package kz.stat.ictstat.ingest;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ingest stopped midway (here: after its third table commit, the way a killed process stops
 * between two atomic Delta commits) and then run again leaves every table identical to one
 * uninterrupted run, apart from the run timestamps.
 */
@SparkTest
class IngestRecoveryTest {
  static final List<String> TABLES =
      List.of(
          Ingest.LOG,
          Ingest.RAW_RESPONSES,
          Ingest.RAW_REGISTER,
          Ingest.QUARANTINE,
          Ingest.CORE_RESPONSES,
          Ingest.CORE_REGISTER);

  @TempDir Path input;

  /** The table without the columns that hold the time of the run. */
  private static Dataset<Row> content(TableCatalog c, String table) {
    return c.read(table).drop("ingested_at", "started_at", "finished_at");
  }

  @Test
  void rerunAfterAStopMidwayEqualsAnUninterruptedRun(
      SparkSession spark, TableCatalog catalog, @TempDir Path otherWarehouse) {
    SurveyDefinitions survey = SurveyLoader.load(Path.of("conf"));
    var fx = new Fixtures(survey, input);
    IngestOptions o = IngestOptions.detect(input, YearRange.of(2024));

    // last month's files, ingested completely
    fx.cleanYear(2024, Fixtures.Variant.utf8Comma(), 3);
    new Ingest(spark, catalog, survey, o, null).execute();

    // corrected files arrive; the ingest is stopped after raw.register (among the raw tables,
    // written side by side after the log's first commit, before the typed tables)
    fx.register(2024, 6, "not,a,row");
    fx.responses(2024, Fixtures.Variant.utf8BomSemicolonDecimalComma(), 5, "100000000001;2024");
    var stopped =
        new Ingest(spark, catalog, survey, o, null)
            .afterCommit(
                t -> {
                  if (t.equals(Ingest.RAW_REGISTER)) {
                    throw new IllegalStateException("killed after " + t);
                  }
                });
    var e = assertThrows(IllegalStateException.class, stopped::execute);
    assertEquals("killed after raw.register", e.getMessage());
    // the half-written state is marked: the log says incomplete, core still has the old rows
    assertEquals(
        List.of("incomplete", "incomplete"),
        catalog
            .read(Ingest.LOG)
            .select("status")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList());
    assertEquals(3, catalog.read(Ingest.CORE_RESPONSES).count());

    // run again, without --force: the incomplete year is re-ingested despite equal checksums
    IngestResult rerun = new Ingest(spark, catalog, survey, o, null).execute();
    assertEquals(List.of(2024), rerun.ingested());

    // the same files into an empty warehouse in one uninterrupted run
    TableCatalog clean = new TableCatalog(spark, otherWarehouse);
    new Ingest(spark, clean, survey, o, null).execute();

    for (String t : TABLES) {
      Dataset<Row> a = content(catalog, t);
      Dataset<Row> b = content(clean, t);
      assertEquals(b.count(), a.count(), t);
      assertEquals(0, a.exceptAll(b).count(), t);
      assertEquals(0, b.exceptAll(a).count(), t);
    }
    // and the reconciliation is the one counted by hand: 7 register lines (1 bad), 6 response
    // lines (1 bad)
    assertEquals(
        List.of(7L, 6L),
        catalog
            .read(Ingest.LOG)
            .orderBy(col("kind"))
            .select("rows_read")
            .as(org.apache.spark.sql.Encoders.LONG())
            .collectAsList());
    assertEquals(2, catalog.read(Ingest.QUARANTINE).count());
  }
}
