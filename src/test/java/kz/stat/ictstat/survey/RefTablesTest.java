package kz.stat.ictstat.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class RefTablesTest {
  @Test
  void everyClassifierAndDefinitionSetIsAQueryableTable(SparkSession spark, TableCatalog catalog)
      throws Exception {
    SurveyDefinitions s = SurveyLoader.load(Path.of("conf"));
    RefTables.write(catalog, s);
    // counts taken from the source files, not from the code under test
    long krpLines = Files.readAllLines(Path.of("conf/classifiers/krp.csv")).size() - 1;
    assertEquals(krpLines, spark.sql("SELECT count(*) FROM ref.krp").first().getLong(0));
    assertEquals(
        "v2015",
        spark
            .sql("SELECT form_version FROM ref.form_columns WHERE raw_code = 's4_01'")
            .first()
            .getString(0));
    assertEquals(
        2020L,
        spark
            .sql(
                "SELECT first_year FROM ref.indicators"
                    + " WHERE indicator = 'share_lm_manufacturing_digital_tech'")
            .first()
            .getInt(0));
    // 2024 regions: the 20 of today (16 before 2018, 17 from 2018, 20 from mid-2022)
    assertEquals(
        20L,
        spark
            .sql(
                "SELECT count(*) FROM ref.kato_regions WHERE valid_from <= '2024-12-31'"
                    + " AND (valid_to IS NULL OR valid_to >= '2024-12-31')")
            .first()
            .getLong(0));
  }

  @Test
  void theDataDictionaryIsInStepWithTheConfiguration() throws Exception {
    String expected = DataDictionary.markdown(SurveyLoader.load(Path.of("conf")));
    String committed = Files.readString(Path.of("docs/data-dictionary.md"));
    assertEquals(
        expected,
        committed,
        "docs/data-dictionary.md is stale: run bin/ictstat ref --check-only --dictionary"
            + " docs/data-dictionary.md");
  }
}
