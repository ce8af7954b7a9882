package kz.stat.ictstat.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import kz.stat.ictstat.IctstatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SurveyLoaderTest {
  static final Path CONF = Path.of("conf");

  @Test
  void theShippedDefinitionsLoadAndCoverEveryYear() {
    SurveyDefinitions s = SurveyLoader.load(CONF);
    for (int y = 2004; y <= 2024; y++) {
      FormVersion f = s.formFor(y);
      assertTrue(f.years().contains(y));
    }
    assertEquals("v2015", s.formFor(2017).version());
    // an indicator is available only from the year all its items exist
    assertEquals(2015, s.indicator("share_uses_cloud").firstYear());
    assertEquals(2020, s.indicator("share_lm_manufacturing_digital_tech").firstYear());
    assertTrue(s.indicators().size() >= 30);
    // the comparable-territory regions are on the last year's boundaries
    Domain comparable = s.comparableTerritory().orElseThrow();
    assertEquals("region_2024", comparable.id());
    assertEquals(java.util.List.of(Domain.COMPARABLE_REGION), comparable.by());
    assertEquals("По регионам, в границах 2024 года", comparable.labels().get("ru"));
  }

  @Test
  void aNewFormVersionIsConfigurationOnly(@TempDir Path tmp) throws IOException {
    Path conf = copy(CONF, tmp.resolve("conf"));
    // 2022-2024 stays v2022; a v2025 version adds next year with renumbered lines.
    String v2022 = Files.readString(conf.resolve("forms/v2022.yaml"));
    Files.writeString(
        conf.resolve("forms/v2025.yaml"),
        v2022
            .replace("version: v2022", "version: v2025")
            .replace("years: 2022-2024", "years: 2025-2025")
            .replace("  p", "  q"));
    SurveyDefinitions s = SurveyLoader.load(conf);
    FormVersion f = s.formFor(2025);
    assertEquals("v2025", f.version());
    assertEquals("q201", f.codeOf("has_internet").orElseThrow());
    // ... and moves the comparable territory to the new last year's boundaries
    assertEquals("region_2025", s.comparableTerritory().orElseThrow().id());
    assertEquals(
        "By region, boundaries of 2025", s.comparableTerritory().orElseThrow().labels().en());
  }

  @Test
  void everyMistakeIsReportedInOneRun(@TempDir Path tmp) throws IOException {
    Path conf = copy(CONF, tmp.resolve("conf"));
    // 1: unknown item in a form; 2: overlapping years
    Files.writeString(
        conf.resolve("forms/v2007.yaml"),
        Files.readString(conf.resolve("forms/v2007.yaml"))
            .replace("r102: uses_computers", "r102: uses_computer"));
    Files.writeString(
        conf.resolve("forms/v2004.yaml"),
        Files.readString(conf.resolve("forms/v2004.yaml")).replace("2004-2006", "2004-2007"));
    // 3: expression that does not parse; 4: duplicate id; 5: missing label
    String ind = Files.readString(conf.resolve("indicators.yaml"));
    ind = ind.replaceFirst("numerator: n_computers\n", "numerator: n_computers +* 2\n");
    ind = ind.replace("- id: share_has_website", "- id: share_uses_cloud");
    ind = ind.replaceFirst("    kk: Ұйымдар саны \\(салмақталған\\)\n", "");
    Files.writeString(conf.resolve("indicators.yaml"), ind);

    var e = assertThrows(IctstatException.class, () -> SurveyLoader.load(conf));
    String m = e.getMessage();
    assertEquals(IctstatException.USAGE, e.exitCode());
    assertTrue(
        m.contains(
            "forms/v2007.yaml [v2007]: column r102 maps to unknown item 'uses_computer' (did you mean 'uses_computers'?)"),
        m);
    assertTrue(m.contains("years 2007-2014 overlap v2004 2004-2007"), m);
    assertTrue(
        m.contains("indicators.yaml [computers]: numerator 'n_computers +* 2' does not parse"), m);
    assertTrue(m.contains("indicators.yaml [share_uses_cloud]: duplicate indicator id"), m);
    assertTrue(m.contains("indicators.yaml [organisations]: label missing for language 'kk'"), m);
    assertTrue(m.startsWith("5 problem(s)"), m);
  }

  static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(t);
        else Files.copy(p, t);
      }
    }
    return to;
  }
}
