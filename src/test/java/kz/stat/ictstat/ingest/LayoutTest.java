package kz.stat.ictstat.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The header matched to the year's form version: unknown, missing and repeated columns by name. */
class LayoutTest {
  static SurveyDefinitions survey;

  @BeforeAll
  static void load() {
    survey = SurveyLoader.load(Path.of("conf"));
  }

  private static InputFile file(int year, List<String> header) {
    return new InputFile(
        year,
        InputFile.Kind.RESPONSES,
        Path.of("f.csv"),
        "f.csv",
        1,
        "x",
        StandardCharsets.UTF_8,
        false,
        ';',
        header);
  }

  private static String mismatch(int year, List<String> header) {
    Layout l = Layout.form(survey.formFor(year), survey);
    return assertThrows(FileInspector.Unusable.class, () -> l.match(file(year, header), survey))
        .problem
        .toString();
  }

  @Test
  void columnsInAnyOrderAndCaseAreMatchedByName() throws Exception {
    List<String> header = new ArrayList<>(survey.formFor(2004).columns().keySet());
    java.util.Collections.reverse(header);
    header.set(0, header.get(0).toUpperCase());
    Layout l = Layout.form(survey.formFor(2004), survey);
    var cols = l.match(file(2004, header), survey);
    assertEquals("ict_costs_total", cols.get(0).target()); // r701 was last in v2004, now first
    assertEquals("bin", cols.get(cols.size() - 1).target());
  }

  @Test
  void unknownColumnNamesTheClosestKnownCode() {
    List<String> header = new ArrayList<>(survey.formFor(2004).columns().keySet());
    header.set(header.indexOf("r103"), "r1O3");
    String m = mismatch(2004, header);
    assertTrue(
        m.contains(
            "header does not match form version v2004 of 2004: unknown column(s) 'r1O3' (closest"
                + " known: 'r103'); missing column(s) 'r103' (n_computers)"),
        m);
  }

  @Test
  void missingColumnIsAnError() {
    List<String> header = new ArrayList<>(survey.formFor(2024).columns().keySet());
    header.remove("p802");
    assertTrue(
        mismatch(2024, header).endsWith("missing column(s) 'p802' (ict_security_incident)"),
        mismatch(2024, header));
  }

  @Test
  void repeatedColumn() {
    List<String> header = new ArrayList<>(survey.formFor(2004).columns().keySet());
    header.add("r101");
    assertTrue(mismatch(2004, header).contains("repeated column(s) 'r101'"));
  }

  @Test
  void layoutOfAnotherVersionIsNamed() {
    List<String> v2015 = new ArrayList<>(survey.formFor(2015).columns().keySet());
    String m = mismatch(2014, v2015);
    assertTrue(m.contains("does not match form version v2007 of 2014"), m);
    assertTrue(m.contains("the header is the layout of v2015 (2015-2019)"), m);
  }
}
