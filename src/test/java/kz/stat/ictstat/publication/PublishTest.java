package kz.stat.ictstat.publication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kz.stat.ictstat.cli.Main;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `ictstat publish` end to end on hand-built tables: 40 respondents of weight 2 in 2024 (and the
 * national totals of 2023), with a 2-respondent cell (region 75 × section G) and one unit holding
 * most of the computers (dominance).
 */
@SparkTest
class PublishTest {
  // unit id 1..40: region 11 for 1..20 else 75; section G for even ids <= 20 and for 21, 22;
  // size large when id % 3 = 0; uses computers when id % 4 <> 0; computers = id, unit 1 has 10000.
  static final String UNITS =
      "SELECT 2024 AS year, lpad(CAST(id AS STRING), 12, '0') AS bin, 2.0D AS final_weight,"
          + " CASE WHEN id <= 20 THEN '11' ELSE '75' END AS region,"
          + " CASE WHEN id IN (21, 22) OR (id <= 20 AND id % 2 = 0) THEN 'G' ELSE 'C' END AS section,"
          + " CASE WHEN id % 3 = 0 THEN 'large' ELSE 'small' END AS size_class,"
          + " '15' AS ownership, '1' AS sector,"
          + " CASE WHEN id % 4 <> 0 THEN 1 ELSE 0 END AS uses_computers,"
          + " CAST(CASE WHEN id = 1 THEN 10000 ELSE id END AS LONG) AS n_computers,"
          + " CAST(1 AS LONG) AS n_ict_specialists, CAST(10.0 AS DOUBLE) AS ict_costs_total"
          + " FROM (SELECT explode(sequence(1, 40)) AS id)";

  @Test
  void publishesAProtectedReleaseAndARevision(
      SparkSession spark, TableCatalog catalog, @TempDir Path out) throws Exception {
    Dataset<Row> u = spark.sql(UNITS).cache();
    u.createOrReplaceTempView("pt_units");
    catalog.overwrite(
        "core.weights",
        u.selectExpr(
            "year",
            "bin",
            "final_weight",
            "region",
            "section",
            "size_class",
            "ownership",
            "sector"),
        "year");
    catalog.overwrite(
        "core.responses",
        u.selectExpr(
            "year", "bin", "uses_computers", "n_computers", "n_ict_specialists", "ict_costs_total"),
        "year");
    // pub.estimates-shaped cells (se = 10 % of the estimate; region 75 share has rse 40)
    StringBuilder q = new StringBuilder();
    String[][] doms = {
      {"total", "'_T'"},
      {"region", "region"},
      {"section", "section"},
      {"size", "size_class"},
      {"region_section", "concat_ws('|', region, section)"}
    };
    for (String[] d : doms) {
      if (q.length() > 0) q.append(" UNION ALL ");
      q.append("SELECT year, '")
          .append(d[0])
          .append("' AS domain_type, ")
          .append(d[1])
          .append(" AS domain_code, sum(final_weight) AS org, sum(final_weight * uses_computers)")
          .append(" AS uc, sum(final_weight * n_computers) AS comp, count(*) AS n,")
          .append(" sum(uses_computers) AS nz FROM pt_units GROUP BY year, ")
          .append(d[1]);
    }
    spark.sql(q.toString()).createOrReplaceTempView("pt_cells");
    String common =
        " CAST(NULL AS DOUBLE) AS deff, CAST(n AS LONG) AS n_resp, CAST(nz AS LONG) AS n_nonzero,"
            + " '' AS flags FROM pt_cells";
    Dataset<Row> est =
        spark.sql(
            "SELECT CAST(year AS INT) AS year, 'organisations' AS indicator, domain_type,"
                + " domain_code, org AS estimate, 0.0D AS se, 0.0D AS rse, org AS ci_low,"
                + " org AS ci_high,"
                + common
                + " UNION ALL SELECT CAST(year AS INT), 'share_uses_computers', domain_type,"
                + " domain_code, 100 * uc / org, 10 * uc / org,"
                + " CASE WHEN domain_code = '75' THEN 40.0D ELSE 10.0D END,"
                + " 80 * uc / org, 100 * uc / org + 20 * uc / org,"
                + common
                + " UNION ALL SELECT CAST(year AS INT), 'computers', domain_type, domain_code,"
                + " comp, 0.1 * comp, 10.0D, 0.8 * comp, 1.2 * comp,"
                + common.replace("CAST(nz AS LONG)", "CAST(n AS LONG)"));
    Dataset<Row> e2023 =
        est.where("domain_type = 'total'")
            .selectExpr(
                "2023 AS year",
                "indicator",
                "domain_type",
                "domain_code",
                "estimate * 0.9 AS estimate",
                "se",
                "rse",
                "ci_low * 0.9 AS ci_low",
                "ci_high * 0.9 AS ci_high",
                "deff",
                "n_resp",
                "n_nonzero",
                "flags");
    catalog.overwrite("pub.estimates", est.unionByName(e2023), "year");

    int code =
        Main.execute(
            "publish",
            "--warehouse",
            catalog.warehouse(),
            "--year",
            "2024",
            "--set",
            "output.dir=" + out);
    assertEquals(0, code);

    // primary: 75|G has 2 respondents; computers: unit 1 holds 10000 of 10819 (x 2) -> dominance
    Row g =
        spark
            .sql(
                "SELECT status, reason, estimate, flags FROM pub.published WHERE indicator ="
                    + " 'share_uses_computers' AND domain_code = '75|G'")
            .first();
    assertEquals("primary", g.getString(0));
    assertEquals("frequency", g.getString(1));
    assertTrue(g.isNullAt(2));
    assertEquals("c", g.getString(3));
    Row t =
        spark
            .sql(
                "SELECT status, reason FROM pub.published WHERE indicator = 'computers'"
                    + " AND domain_type = 'total'")
            .first();
    assertEquals("primary", t.getString(0));
    assertEquals("dominance", t.getString(1));
    Row u75 =
        spark
            .sql(
                "SELECT flags FROM pub.published WHERE indicator = 'share_uses_computers'"
                    + " AND domain_type = 'region' AND domain_code = '75'")
            .first();
    assertTrue(u75.getString(0).contains("u") || u75.getString(0).contains("c"), u75.getString(0));

    Path folder = out.resolve("releases/2024/2024-r01");
    Path xlsx = folder.resolve("ictstat_2024.xlsx");
    try (InputStream in = Files.newInputStream(xlsx);
        Workbook wb = WorkbookFactory.create(in)) {
      assertEquals(12, wb.getNumberOfSheets());
      Sheet s = wb.getSheet("en region");
      // row 4: Kazakhstan; share of organisations using computers = 30 of 40 units -> 75 %
      int shareCol = -1;
      var header = s.getRow(3);
      for (int c = 0; c < header.getLastCellNum(); c++) {
        if (header
            .getCell(c)
            .getStringCellValue()
            .startsWith("Share of organisations using computers")) {
          shareCol = c;
        }
      }
      assertTrue(shareCol > 0);
      assertEquals("Kazakhstan", s.getRow(4).getCell(0).getStringCellValue());
      var cell = s.getRow(4).getCell(shareCol);
      assertEquals(
          org.apache.poi.ss.usermodel.CellType.NUMERIC,
          cell.getCellType(),
          cell + " " + s.getRow(4).getCell(shareCol + 1));
      assertEquals(75.0, cell.getNumericCellValue(), 1e-9);
      assertEquals("Almaty city", s.getRow(6).getCell(0).getStringCellValue());
      assertEquals("Алматы қ.", wb.getSheet("kk region").getRow(6).getCell(0).getStringCellValue());
      Sheet series = wb.getSheet("ru series");
      assertEquals(2023, (int) series.getRow(4).getCell(0).getNumericCellValue());
      assertEquals(2024, (int) series.getRow(5).getCell(0).getNumericCellValue());
    }
    List<String> sdmx = Files.readAllLines(folder.resolve("ictstat_2024_sdmx.csv"));
    assertEquals(SdmxCsv.HEADER, sdmx.get(0));
    assertTrue(
        sdmx.contains("KZ_STAT:ICT_ENT(1.0),A,E_COMP,PC_ENT,TOTAL,TOTAL,KZ,2024,75,"),
        String.join("\n", sdmx.subList(0, Math.min(5, sdmx.size()))));
    assertTrue(sdmx.stream().anyMatch(l -> l.contains(",G,KZ75,2024,,c")));
    assertTrue(Files.size(folder.resolve("charts/series_share_uses_computers.png")) > 1000);
    assertTrue(Files.size(folder.resolve("charts/regions_share_uses_computers.png")) > 1000);
    String html = Files.readString(folder.resolve("quality_report_2024.html"));
    assertTrue(html.contains("<h2>A1 Sampling error"), html);
    assertTrue(html.contains("<img src=\"charts/series_share_uses_computers.png\""));
    // keep a copy of the release for a look in a browser (scripts/screenshot-report.sh)
    Path keep = Path.of("target", "publish-sample");
    try (var files = Files.walk(folder)) {
      for (Path p : files.toList()) {
        Path dst = keep.resolve(folder.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(dst);
        else Files.copy(p, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }

    // republishing records a revision in a new folder; the first stays untouched
    assertEquals(
        0,
        Main.execute(
            "publish",
            "--warehouse",
            catalog.warehouse(),
            "--year",
            "2024",
            "--set",
            "output.dir=" + out));
    List<Row> rel =
        spark
            .sql(
                "SELECT release_tag, revision, previous_tag, estimates_version, published_version"
                    + " FROM pub.releases ORDER BY revision")
            .collectAsList();
    assertEquals(2, rel.size());
    assertEquals("2024-r02", rel.get(1).getString(0));
    assertEquals("2024-r01", rel.get(1).getString(2));
    assertEquals(rel.get(0).getLong(3), rel.get(1).getLong(3));
    assertTrue(rel.get(1).getLong(4) > rel.get(0).getLong(4));
    assertTrue(Files.exists(xlsx));
    assertTrue(Files.exists(out.resolve("releases/2024/2024-r02/quality_report_2024.md")));
  }
}
