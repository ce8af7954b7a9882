package kz.stat.ictstat.controls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class RecallCheckTest {
  @Test
  void countsCaughtErrorsByTypeAndCleanRecordsFailingAFatalRule(SparkSession spark) {
    // core.control_results keeps failures only; the controlled
    // records come from core.control_status (G and 2023 A passed every rule)
    var results =
        spark.sql(
            """
            SELECT * FROM VALUES
              (2024, 'A', 'LG05', 'fatal', 'fail'),
              (2024, 'B', 'LG05', 'fatal', 'fail'),
              (2024, 'C', 'CR01', 'fatal', 'fail'),
              (2024, 'D', 'RG09', 'fatal', 'na'),
              (2024, 'E', 'AR04', 'fatal', 'fail'),
              (2024, 'F', 'PL01', 'warning', 'fail')
            AS t(year, bin, rule_id, severity, status)""");
    var records =
        spark.sql(
            """
            SELECT * FROM VALUES
              (2024, 'A'), (2024, 'B'), (2024, 'C'), (2024, 'D'), (2024, 'E'), (2024, 'F'),
              (2024, 'G'), (2023, 'A')
            AS t(year, bin)""");
    var log =
        spark.sql(
            """
            SELECT * FROM VALUES
              ('A', 2024, 'has_internet', 'Logical contradiction'),
              ('B', 2024, 'n_computers', 'out_of_range'),
              ('C', 2024, NULL, 'duplicate_record'),
              ('D', 2024, 'employees', 'item_nonresponse'),
              ('D', 2024, 'has_internet', 'logical_contradiction'),
              ('H', 2024, 'has_internet', 'logical_contradiction')
            AS t(bin, year, item, error_type)""");
    Set<String> covered =
        Set.of("logical_contradiction", "out_of_range", "duplicate_record", "invalid_code");
    var r = RecallCheck.run(log, results, records, ControlRulesTest.rules(spark), covered);
    Map<String, List<Long>> byType =
        r.byType().stream()
            .collect(
                Collectors.toMap(
                    RecallCheck.TypeRecall::errorType,
                    t -> List.of(t.injected(), t.caught(), t.notReached(), t.masked())));
    assertEquals(
        Map.of(
            // A caught; D not caught but D's employees are missing (masked); H never controlled
            "logical_contradiction", List.of(3L, 1L, 1L, 1L),
            "out_of_range", List.of(1L, 0L, 0L, 0L), // LG05 does not involve n_computers
            "duplicate_record", List.of(1L, 1L, 0L, 0L),
            "item_nonresponse", List.of(1L, 0L, 0L, 0L),
            "invalid_code", List.of(0L, 0L, 0L, 0L)),
        byType);
    assertFalse(
        r.byType().stream()
            .filter(t -> t.errorType().equals("item_nonresponse"))
            .findFirst()
            .orElseThrow()
            .covered());
    // clean records: (2024, E), (2024, F), (2024, G), (2023, A); E failed the fatal AR04
    assertEquals(4, r.cleanRecords());
    assertEquals(1, r.cleanFailingFatal());
    assertEquals(
        1.0,
        r.byType().stream()
            .filter(t -> t.errorType().equals("logical_contradiction"))
            .findFirst()
            .orElseThrow()
            .recall());
    assertFalse(r.passed());
    assertEquals(1, r.missed().size());
    assertTrue(r.missed().get(0).contains("n_computers"), r.missed().toString());
    assertTrue(r.render().contains("FAILED"), r.render());
  }
}
