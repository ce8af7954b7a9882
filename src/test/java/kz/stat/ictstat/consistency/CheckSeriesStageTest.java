package kz.stat.ictstat.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kz.stat.ictstat.cli.Main;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.survey.Item;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * End to end over 2021-2023 on a small panel crossing the KATO reform of 2022, with two injected
 * anomalies: unit X reports a thousand times its computers in 2023, unit Y stops using computers in
 * 2021. `ictstat estimate` then `ictstat check-series`.
 */
@SparkTest
class CheckSeriesStageTest {
  static final String X = "000000000007";
  static final String Y = "000000000011";

  static String u(String salt) {
    return "(pmod(xxhash64(bin, '" + salt + "'), 1000003) / 1000003.0D)";
  }

  /** One row per unit and year 2021-2023: frame, domain variables, sample design, all items. */
  static Dataset<Row> panel(SparkSession spark, SurveyDefinitions survey) {
    StringBuilder q = new StringBuilder();
    q.append("WITH b AS (SELECT lpad(CAST(id AS STRING), 12, '0') AS bin FROM range(1, 1501)),");
    q.append(" p AS (SELECT bin, CASE WHEN bin IN ('")
        .append(X)
        .append("', '")
        .append(Y)
        .append("') THEN 'large' WHEN ")
        .append(u("size"))
        .append(" < 0.85 THEN 'small' WHEN ")
        .append(u("size"))
        .append(" < 0.97 THEN 'medium' ELSE 'large' END AS size_class,")
        .append(" element_at(array('C', 'G', 'J'), CAST(floor(")
        .append(u("sec"))
        .append(" * 3) AS INT) + 1) AS section,")
        .append(" element_at(array('631010000', '632010000', '191010000', '195010000',")
        .append(" '751010000'), CAST(floor(")
        .append(u("reg"))
        .append(" * 5) AS INT) + 1) AS kato0 FROM b),");
    q.append(" y AS (SELECT p.*, yr.year, CASE WHEN yr.year >= 2022 AND kato0 LIKE '6310%'")
        .append(
            " THEN concat('1010', substr(kato0, 5)) WHEN yr.year >= 2022 AND kato0 LIKE '1910%'")
        .append(" THEN concat('3310', substr(kato0, 5)) ELSE kato0 END AS kato,")
        .append(" CASE size_class WHEN 'small' THEN 1 + floor(")
        .append(u("emp"))
        .append(" * 49) WHEN 'medium' THEN 101 + floor(")
        .append(u("emp"))
        .append(" * 140) ELSE 300 + floor(")
        .append(u("emp"))
        .append(" * 700) END AS emp0, 1 + 0.03 * (yr.year - 2021) AS g")
        .append(" FROM p CROSS JOIN (SELECT explode(sequence(2021, 2023)) AS year) yr),");
    q.append(" f AS (SELECT *, substr(kato, 1, 2) AS region, '15' AS ownership, '1122' AS sector,")
        .append(" concat_ws('|', section, size_class, substr(kato, 1, 2)) AS stratum,")
        .append(" size_class <> 'small' AS take_all FROM y),");
    q.append(" s AS (SELECT *, count(*) OVER (PARTITION BY year, stratum) AS frame_units FROM f)");
    q.append(" SELECT *, CAST(emp0 AS BIGINT) AS employees");
    for (Item it : survey.contentItems()) {
      if (it.id().equals("employees")) continue;
      String v =
          switch (it.type()) {
            case BINARY ->
                "CAST(("
                    + u(it.id())
                    + " < CASE size_class WHEN 'small' THEN 0.4 ELSE 0.8 END) AS INT)";
            case COUNT -> "CAST(floor((0.2 + 0.5 * " + u(it.id()) + ") * emp0 * g) AS BIGINT)";
            case AMOUNT -> "round((0.2 + " + u(it.id()) + ") * 100.0D * emp0 * g, 1)";
            case CLASS -> "1";
            default -> "CAST(NULL AS STRING)";
          };
      if (it.id().equals("uses_computers")) {
        v = "CASE WHEN bin = '" + Y + "' THEN CAST(year <= 2021 AS INT) ELSE " + v + " END";
      }
      if (it.id().equals("n_computers")) {
        v = "CASE WHEN bin = '" + X + "' AND year = 2023 THEN 1000 * " + v + " ELSE " + v + " END";
      }
      q.append(", ").append(v).append(" AS ").append(it.id());
    }
    q.append(" FROM s");
    return spark.sql(q.toString());
  }

  @Test
  void checkSeriesFindsTheInjectedAnomaliesAndTheBreak(SparkSession spark, TableCatalog catalog) {
    long t0 = System.nanoTime();
    SurveyDefinitions survey = SurveyLoader.load(Path.of("conf"));
    Dataset<Row> all = panel(spark, survey).cache();
    all.createOrReplaceTempView("panel_all");
    // sample: every unit of take-all strata, small units with the lowest key (10 %, at least 2)
    Dataset<Row> smp =
        spark.sql(
            "SELECT * FROM (SELECT *, CASE WHEN take_all THEN frame_units ELSE"
                + " least(frame_units, greatest(2L, CAST(round(0.1 * frame_units) AS BIGINT)))"
                + " END AS sample_units, row_number() OVER (PARTITION BY year, stratum ORDER BY"
                + " pmod(xxhash64(bin, 'k'), 1000003), bin) AS rk FROM panel_all)"
                + " WHERE rk <= sample_units");
    smp.cache();
    catalog.overwrite(
        "core.sample",
        smp.selectExpr(
            "CAST(year AS INT) AS year",
            "bin",
            "kato",
            "employees",
            "region",
            "section",
            "size_class",
            "ownership",
            "sector",
            "stratum",
            "frame_units",
            "sample_units",
            "take_all"),
        "year");
    List<String> cols = new ArrayList<>(List.of("CAST(year AS INT) AS year", "bin"));
    for (Item it : survey.contentItems()) {
      // an item not on the year's form is NULL, as ingest writes it
      cols.add(
          "CASE WHEN year BETWEEN "
              + it.since()
              + " AND "
              + (it.until() == null ? 2100 : it.until())
              + " THEN "
              + it.id()
              + " END AS "
              + it.id());
    }
    catalog.overwrite("core.responses", smp.selectExpr(cols.toArray(new String[0])), "year");
    assertEquals(
        0, Main.execute("estimate", "--warehouse", catalog.warehouse(), "--years", "2021-2023"));

    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int code;
    try {
      code =
          Main.execute("check-series", "--warehouse", catalog.warehouse(), "--years", "2021-2023");
    } finally {
      System.setOut(old);
    }
    String printed = buf.toString(StandardCharsets.UTF_8);
    System.out.println(printed);
    System.out.printf("estimate + check-series %.1f s%n", (System.nanoTime() - t0) / 1e9);
    assertEquals(0, code);
    assertTrue(printed.contains("b:kato_2022 2022"), printed);

    // macro: the 1000-fold computers of X make the 2023 change of the national computers
    // significant (two changes are too few for the robust score, tested on longer series in
    // SeriesChecksTest); the 2022 change (3 % growth) is not
    Row c =
        spark
            .sql(
                "SELECT z, reasons FROM pub.series_checks WHERE indicator = 'computers'"
                    + " AND domain_type = 'total' AND year = 2023")
            .first();
    assertTrue(c.getDouble(0) > 3, c.toString());
    assertTrue(c.getString(1).contains("significant"), c.toString());
    // the 2022 reform: East Kazakhstan (63) and Almaty Region (19) cross a break, Almaty city not
    List<Row> b =
        spark
            .sql(
                "SELECT domain_code, flag_break FROM pub.series_checks WHERE year = 2022 AND"
                    + " indicator = 'organisations' AND domain_type = 'region' ORDER BY domain_code")
            .collectAsList();
    for (Row r : b) {
      assertEquals(List.of("19", "63").contains(r.getString(0)), r.getBoolean(1), r.toString());
    }
    // comparable territory: today's regions in every year, and they add up to the total
    Row t =
        spark
            .sql(
                "SELECT sum(CASE WHEN domain_type = 'region_2024' THEN estimate END),"
                    + " sum(CASE WHEN domain_type = 'total' THEN estimate END),"
                    + " count(DISTINCT CASE WHEN domain_type = 'region_2024' THEN domain_code END)"
                    + " FROM pub.estimates WHERE indicator = 'organisations' AND year = 2021")
            .first();
    assertEquals(t.getDouble(1), t.getDouble(0), 1e-6 * t.getDouble(1));
    assertEquals(5L, t.getLong(2), "10, 63, 33, 19, 75 on today's boundaries");
    // Abai (10) in 2021 = the weights of the units whose code starts 6310 then
    double abai =
        spark
            .sql(
                "SELECT sum(w.final_weight) FROM core.weights w JOIN core.sample s"
                    + " ON w.year = s.year AND w.bin = s.bin WHERE w.year = 2021"
                    + " AND s.kato LIKE '6310%'")
            .first()
            .getDouble(0);
    double est =
        spark
            .sql(
                "SELECT estimate FROM pub.estimates WHERE indicator = 'organisations' AND year = 2021"
                    + " AND domain_type = 'region_2024' AND domain_code = '10'")
            .first()
            .getDouble(0);
    assertEquals(abai, est, 1e-6 * abai);
    assertFalse(
        spark
            .sql(
                "SELECT flag_break FROM pub.series_checks WHERE year = 2022 AND indicator ="
                    + " 'organisations' AND domain_type = 'region_2024' AND domain_code = '10'")
            .first()
            .getBoolean(0));

    // micro: X flagged by HB and by selective editing in 2023, Y's 1->0 in 2022
    List<String> flagged =
        spark
            .sql(
                "SELECT concat(year, ' ', bin, ' ', item, ' ', method) FROM core.edit_flags"
                    + " WHERE flagged AND bin IN ('"
                    + X
                    + "', '"
                    + Y
                    + "') ORDER BY 1")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    assertTrue(flagged.contains("2023 " + X + " n_computers hb"), flagged.toString());
    assertTrue(flagged.contains("2023 " + X + " n_computers selective"), flagged.toString());
    assertTrue(flagged.contains("2022 " + Y + " uses_computers transition"), flagged.toString());
    assertTrue(printed.contains(X), printed);
  }
}
