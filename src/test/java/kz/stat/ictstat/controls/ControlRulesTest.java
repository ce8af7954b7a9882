package kz.stat.ictstat.controls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import kz.stat.ictstat.survey.FormVersion;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The rules of conf/rules on hand-built records: clean records pass, each broken item is caught.
 */
@SparkTest
class ControlRulesTest {
  static final SurveyDefinitions SURVEY = SurveyLoader.load(Path.of("conf"));
  private static RuleSet rules;

  /** Controls.evaluate unpivots every rule in one expression: too deep for whole-stage codegen. */
  static final String WHOLE_STAGE = "spark.sql.codegen.wholeStage";

  @org.junit.jupiter.api.BeforeAll
  static void noWholeStageCodegen() {
    kz.stat.ictstat.testing.SparkExtension.session().conf().set(WHOLE_STAGE, "false");
  }

  @org.junit.jupiter.api.AfterAll
  static void restoreCodegen() {
    kz.stat.ictstat.testing.SparkExtension.session().conf().set(WHOLE_STAGE, "true");
  }

  static synchronized RuleSet rules(SparkSession spark) {
    if (rules == null) rules = RuleSet.load(Path.of("conf"), SURVEY, spark);
    return rules;
  }

  /** Evaluates records of several years, each year with its applicable rules (no catalog). */
  static Dataset<Row> evaluate(SparkSession spark, Dataset<Row> records, Set<Integer> years) {
    Controls c = new Controls(null, SURVEY, rules(spark), null);
    Map<Integer, List<Rule>> byYear = new LinkedHashMap<>();
    for (int y : years) byYear.put(y, rules(spark).applicable(y, SURVEY));
    return c.evaluate(records, byYear);
  }

  @Test
  void theRuleSetCoversEveryKindSeverityAndFormVersion(SparkSession spark) {
    RuleSet r = rules(spark);
    assertTrue(r.rules().size() >= 40, "rules: " + r.rules().size());
    assertEquals(
        Set.of(RuleKind.values()), r.rules().stream().map(Rule::kind).collect(Collectors.toSet()));
    assertEquals(
        Set.of(Severity.values()),
        r.rules().stream().map(Rule::severity).collect(Collectors.toSet()));
    for (FormVersion f : SURVEY.forms()) {
      int first = f.years().first();
      assertTrue(r.applicable(first, SURVEY).size() >= 20, f.version() + " has few rules");
    }
    // applicability follows the items a year's form asks
    Rule dialup = r.rule("RG02");
    assertTrue(dialup.appliesIn(2014, SURVEY));
    assertFalse(dialup.appliesIn(2015, SURVEY));
    Rule security = r.rule("RG07");
    assertFalse(security.appliesIn(2021, SURVEY));
    assertTrue(security.appliesIn(2022, SURVEY));
    Rule computersYoY = r.rule("YY01");
    assertFalse(computersYoY.appliesIn(2004, SURVEY)); // no form in 2003
    assertTrue(computersYoY.appliesIn(2005, SURVEY));
    assertFalse(r.rule("YY05").appliesIn(2007, SURVEY)); // ICT specialists not asked in 2006
    assertTrue(r.rule("YY05").appliesIn(2008, SURVEY));
    // helpers resolve to the item they check
    assertEquals(Set.of("kato"), r.rule("ID07").items());
    assertEquals(Set.of("bin"), r.rule("CR01").items());
    assertEquals(Set.of("n_computers"), r.rule("YY01").prevItems());
  }

  @Test
  void aCleanRecordOfEachFormVersionPassesEveryRule(SparkSession spark) {
    CleanRecords recs = new CleanRecords(spark, SURVEY);
    Set<Integer> years = new java.util.TreeSet<>();
    // the first year of every form version, the last year with dial-up, the last year
    for (int y : new int[] {2004, 2007, 2014, 2015, 2020, 2022, 2024}) {
      recs.add(y, CleanRecords.bin(y));
      years.add(y);
    }
    List<Row> rows = evaluate(spark, recs.frame(), years).collectAsList();
    long expected = years.stream().mapToLong(y -> rules(spark).applicable(y, SURVEY).size()).sum();
    assertEquals(expected, rows.size(), "one status per record and applicable rule");
    List<String> fails =
        rows.stream()
            .filter(r -> "fail".equals(r.getAs("status")))
            .map(
                r ->
                    r.getAs("year")
                        + " "
                        + r.getAs("rule_id")
                        + " "
                        + r.getAs("status")
                        + " "
                        + r.getAs("values"))
            .toList();
    assertEquals(List.of(), fails, "clean records must not fail");
  }

  /** A broken record: its year, the items overwritten, and the rules it must fail. */
  record Case(int year, Set<String> mustFail, Object[] overrides) {
    static Case of(int year, String rules, Object... overrides) {
      return new Case(year, Set.of(rules.split(",")), overrides);
    }
  }

  static List<Case> cases() {
    String goodBin = CleanRecords.bin(42);
    String badCheck = goodBin.substring(0, 11) + ((goodBin.charAt(11) - '0' + 1) % 10);
    List<Case> c = new ArrayList<>();
    c.add(Case.of(2024, "ID01,ID02", "bin", "12345"));
    c.add(Case.of(2024, "ID02", "bin", badCheck));
    c.add(Case.of(2024, "ID03,ID04", "oked", "6201"));
    c.add(Case.of(2024, "ID04", "oked", "99999"));
    c.add(Case.of(2024, "ID05", "oked", "84110"));
    c.add(Case.of(2024, "ID06,ID07", "kato", "75111000"));
    c.add(Case.of(2024, "ID07", "kato", "511010000"));
    c.add(Case.of(2023, "ID07", "kato", "631010000"));
    c.add(Case.of(2017, "ID07", "kato", "791010000"));
    c.add(Case.of(2024, "ID08", "krp", "999"));
    c.add(Case.of(2024, "ID09", "employees", 500L));
    c.add(Case.of(2024, "ID10", "kfs", "99"));
    c.add(Case.of(2024, "ID11", "kse", "9999"));
    c.add(Case.of(2024, "ID12", "employees", null));
    c.add(Case.of(2024, "RG01", "has_website", 7));
    c.add(Case.of(2010, "RG02", "internet_dialup", 2));
    c.add(Case.of(2010, "RG03", "uses_egov", 2));
    c.add(Case.of(2016, "RG04", "uses_erp", 3));
    c.add(Case.of(2016, "RG05", "cloud_crm", 2));
    c.add(Case.of(2021, "RG06", "uses_ai", 9));
    c.add(Case.of(2023, "RG07", "ict_security_incident", 2));
    c.add(Case.of(2016, "RG08", "broadband_speed_class", 6));
    c.add(Case.of(2024, "RG09", "employees", -1L));
    c.add(Case.of(2024, "RG10", "n_computers", -1L));
    c.add(Case.of(2024, "RG11", "n_computers_internet", -1L));
    c.add(Case.of(2024, "RG12", "employees_using_computers", -3L));
    c.add(Case.of(2024, "RG13", "n_ict_specialists", -1L));
    c.add(Case.of(2005, "RG14", "ict_costs_total", -5.0));
    c.add(Case.of(2012, "RG15,AR04", "ict_costs_software", -50.0));
    c.add(Case.of(2005, "LG01", "uses_computers", 0));
    c.add(Case.of(2024, "LG02,AR01", "n_computers", 0L));
    c.add(Case.of(2005, "LG03", "uses_computers", 0, "n_computers", 0L));
    c.add(
        Case.of(
            2010,
            "LG04,LG08,LG12",
            "uses_computers",
            0,
            "n_computers",
            0L,
            "has_internet",
            0,
            "internet_fixed_broadband",
            0,
            "has_website",
            0));
    c.add(Case.of(2024, "LG05,LG06,LG08,LG09,LG12,LG13,LG14,LG16", "has_internet", 0));
    c.add(
        Case.of(
            2010,
            "LG07,LG15",
            "orders_received_online",
            1,
            "has_internet",
            0,
            "internet_dialup",
            1));
    c.add(Case.of(2016, "LG10", "cloud_email", 0));
    c.add(Case.of(2016, "LG11", "uses_cloud", 0));
    c.add(
        Case.of(
            2023,
            "LG17,LG18,LG19,LG20",
            "uses_computers",
            0,
            "n_computers",
            0L,
            "n_computers_internet",
            0L,
            "has_internet",
            0,
            "internet_fixed_broadband",
            0,
            "internet_mobile_broadband",
            0,
            "has_website",
            0,
            "uses_social_media",
            0,
            "orders_placed_online",
            0,
            "uses_egov",
            0,
            "uses_cloud",
            0,
            "cloud_email",
            0,
            "uses_erp",
            1,
            "uses_ai",
            1,
            "ict_security_incident",
            1));
    c.add(Case.of(2016, "LG21", "internet_fixed_broadband", 0, "internet_mobile_broadband", 0));
    c.add(Case.of(2024, "AR01", "n_computers_internet", 9L));
    c.add(Case.of(2024, "AR02", "employees_using_computers", 9L));
    c.add(Case.of(2024, "AR03,AR06", "n_ict_specialists", 9L));
    c.add(Case.of(2024, "AR04", "ict_costs_total", 250.0));
    c.add(Case.of(2024, "AR05,AR06", "employees_using_computers", 0L));
    c.add(Case.of(2024, "AR06", "n_ict_specialists", 7L));
    c.add(Case.of(2024, "PL01", "n_computers", 45L));
    c.add(Case.of(2006, "PL02", "ict_costs_total", 500000.0));
    c.add(Case.of(2005, "PL03", "n_computers", 10L, "ict_costs_total", 0.0));
    c.add(Case.of(2024, "PL04,ID09", "employees", 250000L));
    return c;
  }

  @Test
  void everyBrokenItemIsCaughtByItsRuleAndNoOtherRecordFails(SparkSession spark) {
    CleanRecords recs = new CleanRecords(spark, SURVEY);
    List<Case> cases = cases();
    Map<String, Case> byBin = new LinkedHashMap<>();
    Set<Integer> years = new TreeSet<>();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      String bin = CleanRecords.bin(1000 + i * 13L);
      Object[] o = c.overrides();
      boolean setsBin = o.length > 0 && "bin".equals(o[0]);
      recs.add(c.year(), bin, o);
      byBin.put(setsBin ? (String) o[1] : bin, c);
      years.add(c.year());
    }
    // clean neighbours in the same years, and one duplicated BIN
    String dup = CleanRecords.bin(777);
    recs.add(2024, dup).add(2024, dup);
    String clean = CleanRecords.bin(888);
    recs.add(2024, clean);
    // missing inputs and false conditions give 'na', never 'fail'
    String missing = CleanRecords.bin(999);
    recs.add(2024, missing, "has_website", null, "uses_cloud", 0, "cloud_email", 0);

    List<Row> rows = evaluate(spark, recs.frame(), years).where("status <> 'pass'").collectAsList();
    Map<String, Set<String>> failed = new HashMap<>();
    Map<String, String> status = new HashMap<>();
    for (Row r : rows) {
      String bin = r.getAs("bin");
      if ("fail".equals(r.getAs("status"))) {
        failed.computeIfAbsent(bin, k -> new TreeSet<>()).add(r.getAs("rule_id"));
      }
      status.put(bin + "/" + r.getAs("rule_id") + "/" + r.getAs("source_line"), r.getAs("status"));
    }
    Map<String, String> problems = new TreeMap<>();
    for (var e : byBin.entrySet()) {
      Set<String> got = failed.getOrDefault(e.getKey(), Set.of());
      if (!got.containsAll(e.getValue().mustFail())) {
        problems.put(
            e.getValue().year() + " " + List.of(e.getValue().overrides()),
            "must fail " + e.getValue().mustFail() + ", failed " + got);
      }
    }
    assertEquals(Map.of(), problems);
    assertEquals(Set.of("CR01"), failed.get(dup), "both duplicates fail CR01 only");
    assertEquals(
        2L,
        rows.stream()
            .filter(r -> dup.equals(r.getAs("bin")) && "CR01".equals(r.getAs("rule_id")))
            .count());
    assertFalse(failed.containsKey(clean), "clean record failed " + failed.get(clean));
    assertFalse(failed.containsKey(missing), "missing inputs failed " + failed.get(missing));
    long naWebsite =
        rows.stream()
            .filter(r -> missing.equals(r.getAs("bin")))
            .filter(r -> Set.of("LG05", "RG01", "LG10").contains(r.<String>getAs("rule_id")))
            .filter(r -> "na".equals(r.getAs("status")))
            .count();
    assertEquals(3, naWebsite, "NULL input (LG05, RG01) and false condition (LG10) give na");
    // the values involved are kept for failures
    Row ar04 =
        rows.stream()
            .filter(r -> "AR04".equals(r.getAs("rule_id")) && "fail".equals(r.getAs("status")))
            .filter(r -> r.<Integer>getAs("year") == 2024)
            .findFirst()
            .orElseThrow();
    Map<String, String> values = ar04.getJavaMap(ar04.fieldIndex("values"));
    assertEquals("250.0", values.get("ict_costs_total"));
    assertEquals("100.0", values.get("ict_costs_hardware"));
  }
}
