package kz.stat.ictstat.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The population truth at scale 1 reproduces what the Bureau published (the targets below are the
 * figures of the Bureau's metadata and press notes; see docs/synthetic-data.md for the sources).
 */
class CalibrationTest {
  static final SurveyDefinitions SURVEY = SurveyLoader.load(Path.of("conf"));
  static final SyntheticModel MODEL = SyntheticModel.load(Path.of("conf/synthetic.yaml"));
  static final long SEED = 20250119L;

  @TempDir static Path dir;
  static List<String> header;
  static List<String[]> rows2024 = new ArrayList<>();
  static Map<Integer, Map<String, Double>> figures;

  @BeforeAll
  static void generate() throws IOException {
    Path input = dir.resolve("input");
    Path truth = dir.resolve("truth");
    new Generator(
            SURVEY,
            MODEL,
            new Generator.Options(input, truth, YearRange.of(2024), SEED, 1.0),
            null,
            null)
        .execute();
    List<String> lines =
        Files.readAllLines(truth.resolve("population_2024.csv"), StandardCharsets.UTF_8);
    header = List.of(lines.get(0).split(",", -1));
    for (String l : lines.subList(1, lines.size())) rows2024.add(l.split(",", -1));
    figures = Generator.truthFigures(SURVEY, MODEL, SEED, 1.0, 2004, 2007, 2015, 2021);
  }

  private static double share(String item) {
    int j = header.indexOf(item);
    double yes = 0;
    for (String[] r : rows2024) if (r[j].equals("1")) yes++;
    return 100 * yes / rows2024.size();
  }

  private static double num(String[] r, String item) {
    String s = r[header.indexOf(item)];
    return s.isEmpty() ? 0 : Double.parseDouble(s);
  }

  @Test
  void truth2024ReproducesThePublishedFigures() {
    assertEquals(172335, rows2024.size()); // the Bureau's weighted population of 2024
    assertEquals(78.0, share("uses_computers"), 0.5);
    assertEquals(76.0, share("has_internet"), 0.5);
    assertEquals(11.7, share("uses_cloud"), 0.5);
    double costs = 0;
    for (String[] r : rows2024) costs += num(r, "ict_costs_total");
    assertEquals(678_000_000, costs, 678_000_000 * 0.02); // 678.0 bn tenge in thousand tenge
    // large and medium manufacturing using any digital technology: 19.2 %
    String[] digital = {
      "uses_iot", "uses_big_data", "uses_ai", "uses_robotics", "uses_3d_printing", "uses_blockchain"
    };
    int lm = 0;
    int lmDigital = 0;
    int lmAll = 0;
    for (String[] r : rows2024) {
      String size = r[header.indexOf("size_class")];
      if (size.equals("small")) continue;
      lmAll++;
      if (!r[header.indexOf("section")].equals("C")) continue;
      lm++;
      boolean any = false;
      for (String d : digital) any |= r[header.indexOf(d)].equals("1");
      if (any) lmDigital++;
    }
    assertEquals(19.2, 100.0 * lmDigital / lm, 0.5);
    assertTrue(lmAll > 3000 && lmAll < 5000, "about 4,000 large and medium units: " + lmAll);
  }

  @Test
  void earlierYearsReproduceThePublishedShares() {
    Map<String, Double> y2007 = figures.get(2007);
    assertEquals(79.4, y2007.get("share_uses_computers"), 1.0);
    assertEquals(61.7, y2007.get("share_has_internet"), 1.0);
    assertEquals(13.6, y2007.get("share_has_website"), 1.0);
    assertEquals(17.3, y2007.get("share_orders_received_online"), 1.0);
    Map<String, Double> y2015 = figures.get(2015);
    assertEquals(66.3, y2015.get("share_uses_computers"), 1.0);
    assertEquals(61.2, y2015.get("share_has_internet"), 1.0);
    assertEquals(20.5, y2015.get("share_has_website"), 1.0);
    assertEquals(11.5, y2015.get("share_orders_received_online"), 1.0);
    assertEquals(52_500, figures.get(2004).get("computers"), 52_500 * 0.02);
    assertEquals(935_000, y2015.get("computers"), 935_000 * 0.02);
    assertEquals(9.9, figures.get(2021).get("share_lm_digital_tech"), 0.5);
    // fewer units in earlier years
    assertTrue(figures.get(2004).get("organisations") < figures.get(2015).get("organisations"));
  }

  @Test
  void itemRelationsHoldInTheTruth() {
    String[] cloud = {
      "cloud_email",
      "cloud_office",
      "cloud_storage",
      "cloud_database",
      "cloud_finance",
      "cloud_crm",
      "cloud_computing"
    };
    String[] parts = {
      "ict_costs_hardware",
      "ict_costs_software",
      "ict_costs_telecom",
      "ict_costs_services",
      "ict_costs_training",
      "ict_costs_other"
    };
    for (String[] r : rows2024) {
      String bin = r[0];
      assertTrue(Bins.valid(bin), "BIN check digit " + bin);
      if (num(r, "has_internet") == 1) assertEquals(1, num(r, "uses_computers"), bin);
      assertTrue(num(r, "n_computers_internet") <= num(r, "n_computers"), bin);
      assertTrue(num(r, "employees_using_computers") <= num(r, "employees"), bin);
      assertEquals(num(r, "uses_computers") == 1, num(r, "n_computers") >= 1, bin);
      boolean anyCloud = false;
      for (String c : cloud) anyCloud |= num(r, c) == 1;
      assertEquals(num(r, "uses_cloud") == 1, anyCloud, bin);
      if (num(r, "uses_cloud") == 1) assertEquals(1, num(r, "has_internet"), bin);
      double sum = 0;
      for (String p : parts) sum += num(r, p);
      assertEquals(num(r, "ict_costs_total"), sum, 1.0, bin);
    }
  }
}
