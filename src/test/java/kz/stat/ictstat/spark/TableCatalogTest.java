package kz.stat.ictstat.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class TableCatalogTest {
  @Test
  void writesRegistersAndReplacesOneYearAtomically(SparkSession spark, TableCatalog catalog) {
    var two = spark.sql("SELECT id, CAST(2023 + id % 2 AS INT) AS year FROM range(10)");
    catalog.overwrite("core.demo", two, "year");
    assertEquals(10L, spark.sql("SELECT count(*) FROM core.demo").first().getLong(0));

    var new2024 = spark.sql("SELECT id + 100 AS id, 2024 AS year FROM range(3)");
    catalog.replaceWhere("core.demo", new2024, "year = 2024", "year");
    var byYear =
        spark
            .sql("SELECT year, count(*) FROM core.demo GROUP BY year ORDER BY year")
            .collectAsList();
    assertEquals(5L, byYear.get(0).getLong(1)); // 2023 untouched
    assertEquals(3L, byYear.get(1).getLong(1)); // 2024 replaced
    assertTrue(catalog.existing().containsKey("core.demo"));

    // a range of years replaced in a table that holds data (Delta 4.0 fails on a BETWEEN here)
    var both = spark.sql("SELECT id + 200 AS id, CAST(2023 + id % 2 AS INT) AS year FROM range(4)");
    catalog.replaceWhere("core.demo", both, new YearRange(2023, 2024).sql(), "year");
    assertEquals(
        4L, spark.sql("SELECT count(*) FROM core.demo WHERE id >= 200").first().getLong(0));
    assertEquals(4L, spark.sql("SELECT count(*) FROM core.demo").first().getLong(0));
  }

  @Test
  void unknownTableIsAUsageErrorListingWhatExists(TableCatalog catalog) {
    var e = assertThrows(IctstatException.class, () -> catalog.read("pub.nothing"));
    assertEquals(IctstatException.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("table 'pub.nothing' does not exist"), e.getMessage());
    var bad = assertThrows(IctstatException.class, () -> catalog.location("nope"));
    assertTrue(bad.getMessage().contains("schema.table"), bad.getMessage());
  }
}
