package kz.stat.ictstat.controls;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a test: {@code mvn test -Dtest=ControlsBenchmark -Dictstat.bench.records=200000}
 * writes that many records per year for 2023 and 2024 (clean records with varied counts, a share
 * with broken items) to core.responses and times the controls stage: record × rule evaluations per
 * second. On generated data use {@code ictstat controls --years 2004-2024}, which prints the same
 * figure.
 */
@SparkTest
@EnabledIfSystemProperty(named = "ictstat.bench.records", matches = "\\d+")
class ControlsBenchmark {
  @Test
  void recordsTimesRulesPerSecond(SparkSession spark, TableCatalog catalog) {
    long n = Long.parseLong(System.getProperty("ictstat.bench.records"));
    var survey = ControlRulesTest.SURVEY;
    var schema = new CleanRecords(spark, survey).schema();
    var parts = new ArrayList<org.apache.spark.sql.Dataset<org.apache.spark.sql.Row>>();
    for (int year : new int[] {2023, 2024}) {
      Map<String, Object> clean = CleanRecords.clean(survey, year, "x");
      List<Column> cols = new ArrayList<>();
      for (var f : schema.fields()) {
        Column c =
            switch (f.name()) {
              case "bin" -> expr("lpad(CAST(id * 7919 % 100000000000 AS STRING), 12, '1')");
              case "n_computers" -> expr("CAST(id % 40 + 1 AS BIGINT)");
              case "employees" -> expr("CAST(id % 40 + 1 AS BIGINT) * 2");
              case "krp" -> expr("CASE WHEN id % 97 = 0 THEN '999' ELSE '130' END");
              case "has_internet" -> expr("CASE WHEN id % 53 = 0 THEN 0 ELSE 1 END");
              case "ict_costs_total" -> expr("CASE WHEN id % 61 = 0 THEN 1e6 ELSE 200.0 END");
              case "source_line" -> col("id");
              default -> lit(clean.get(f.name()));
            };
        cols.add(c.cast(f.dataType()).alias(f.name()));
      }
      parts.add(spark.range(n).select(cols.toArray(Column[]::new)));
    }
    catalog.overwrite("core.responses", parts.get(0).unionByName(parts.get(1)), "year");
    var r =
        new Controls(catalog, survey, ControlRulesTest.rules(spark), new PrintStream(System.out))
            .execute(new Controls.Options(new YearRange(2023, 2024)));
    System.out.printf(
        "BENCHMARK %d records x %d rule evaluations in %.1f s: %.0f evaluations per second%n",
        r.records(), r.evaluations(), r.passSeconds(), r.evaluationsPerSecond());
  }
}
