package kz.stat.ictstat.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-year anomalies of a small population (scale 0.05, 2023-2024, raised rates): injected only
 * in 2024 on units whose 2023 record was clean, logged, x1000 / x10 of the true value, and every
 * in-record control still holds on the written record.
 */
@SparkTest
class CrossYearAnomaliesTest {
  static final SurveyDefinitions SURVEY = SurveyLoader.load(Path.of("conf"));
  static final Set<String> ANOMALIES =
      Set.of("amount_unit_error", "count_digit_error", "employees_jump");

  /** The 2024 records (UTF-8, ',', decimal point) by line number: item -> written text. */
  private static Map<Long, Map<String, String>> records(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> items = new ArrayList<>(SURVEY.formFor(2024).columns().values());
    Map<Long, Map<String, String>> m = new HashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",", -1);
      if (f.length != items.size()) continue; // wrong_field_count
      Map<String, String> r = new HashMap<>();
      for (int j = 0; j < f.length; j++) r.put(items.get(j), f[j]);
      m.put((long) i + 1, r);
    }
    return m;
  }

  private static double num(Map<String, String> r, String item) {
    return Double.parseDouble(r.get(item));
  }

  @Test
  void anomaliesHitCleanPanelRecordsAndPassEveryInRecordControl(
      SparkSession spark, @TempDir Path root) throws IOException {
    String yaml =
        Files.readString(Path.of("conf/synthetic.yaml"))
            .replaceAll("amount_unit_error: [0-9.]+", "amount_unit_error: 0.3")
            .replaceAll("count_digit_error: [0-9.]+", "count_digit_error: 0.3")
            .replaceAll("employees_jump: [0-9.]+", "employees_jump: 0.2");
    Path conf = root.resolve("synthetic.yaml");
    Files.writeString(conf, yaml);
    new Generator(
            SURVEY,
            SyntheticModel.load(conf),
            new Generator.Options(
                root.resolve("input"), root.resolve("truth"), new YearRange(2023, 2024), 3, 0.05),
            spark,
            null)
        .execute();
    List<String> log = Files.readAllLines(root.resolve("truth/errors.csv"));
    assertEquals("year,bin,item,error_type,file,line,true_value,written_value", log.get(0));
    Set<String> dirty2023 = new HashSet<>();
    Set<String> dirty2024 = new HashSet<>();
    List<String[]> anomalies = new ArrayList<>();
    for (String l : log.subList(1, log.size())) {
      String[] e = l.split(",", -1);
      if (ANOMALIES.contains(e[3])) {
        anomalies.add(e);
        assertEquals("2024", e[0], "no anomaly in the first year (no previous record): " + l);
      } else if (e[0].equals("2023")) {
        dirty2023.add(e[1]);
      } else {
        dirty2024.add(e[1]);
      }
    }
    Map<String, Long> byType = new HashMap<>();
    anomalies.forEach(e -> byType.merge(e[3], 1L, Long::sum));
    assertTrue(byType.keySet().containsAll(ANOMALIES), "every anomaly injected: " + byType);

    // the written 2023 BINs (respondents) and the true 2024 values
    Set<String> responded2023 = new HashSet<>();
    List<String> l2023 = Files.readAllLines(root.resolve("input/2023/responses_2023.csv"));
    for (String l : l2023.subList(1, l2023.size())) responded2023.add(l.split(",", -1)[0]);
    Map<String, Map<String, String>> truth = new HashMap<>();
    List<String> pop = Files.readAllLines(root.resolve("truth/population_2024.csv"));
    String[] head = pop.get(0).split(",", -1);
    for (String l : pop.subList(1, pop.size())) {
      String[] f = l.split(",", -1);
      Map<String, String> r = new HashMap<>();
      for (int j = 0; j < head.length; j++) r.put(head[j], f[j]);
      truth.put(f[0], r);
    }
    Map<Long, Map<String, String>> rec = records(root.resolve("input/2024/responses_2024.csv"));
    String[] components = {
      "ict_costs_hardware",
      "ict_costs_software",
      "ict_costs_telecom",
      "ict_costs_services",
      "ict_costs_training",
      "ict_costs_other"
    };
    for (String[] e : anomalies) {
      String bin = e[1];
      String item = e[2];
      assertTrue(responded2023.contains(bin), "responded the year before: " + bin);
      assertFalse(dirty2023.contains(bin), "clean record the year before: " + bin);
      assertFalse(dirty2024.contains(bin), "no other error in the record: " + bin);
      double factor = e[3].equals("amount_unit_error") ? 1000 : 10;
      double truthValue = Double.parseDouble(truth.get(bin).get(item));
      assertEquals(truthValue, Double.parseDouble(e[6]), 0.051, "population value unchanged");
      assertEquals(Double.parseDouble(e[6]) * factor, Double.parseDouble(e[7]), 1e-6);
      Map<String, String> r = rec.get(Long.parseLong(e[5]));
      assertEquals(bin, r.get("bin"));
      assertEquals(e[7], r.get(item), "the log names the written value");
      // the in-record controls of conf/rules still hold
      double emp = Math.max(num(r, "employees"), 1);
      double sum = 0;
      for (String c : components) sum += num(r, c);
      assertTrue(Math.abs(sum - num(r, "ict_costs_total")) <= 1, "AR04 " + r);
      assertTrue(num(r, "n_computers_internet") <= num(r, "n_computers"), "AR01 " + r);
      assertTrue(num(r, "employees_using_computers") <= num(r, "employees"), "AR02 " + r);
      assertTrue(num(r, "n_computers") <= 5 * emp, "PL01 " + r);
      assertTrue(num(r, "ict_costs_total") <= 50000 * emp, "PL02 " + r);
      assertTrue(num(r, "employees") <= 200000, "PL04 " + r);
    }
    // the whole cost block moves together: one log row per amount of the record
    long amountRecords =
        anomalies.stream()
            .filter(e -> e[3].equals("amount_unit_error"))
            .map(e -> e[1])
            .distinct()
            .count();
    assertEquals(7 * amountRecords, byType.get("amount_unit_error"));
  }
}
