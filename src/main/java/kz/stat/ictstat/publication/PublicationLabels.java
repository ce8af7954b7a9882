package kz.stat.ictstat.publication;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.estimation.EstimationQuery;
import kz.stat.ictstat.survey.Domain;
import kz.stat.ictstat.survey.Labels;
import kz.stat.ictstat.survey.SurveyDefinitions;
import org.yaml.snakeyaml.Yaml;

/**
 * Labels of the published products in kk, ru and en: conf/publication.yaml (titles, units, flag
 * footnotes, size classes) plus the domain labels of domains.yaml and the region and section names
 * of the classifiers.
 */
public final class PublicationLabels {
  public static final String FILE = "publication.yaml";

  private final Map<String, Object> yaml;
  private final SurveyDefinitions survey;
  private final Map<String, Map<String, String>> regions = new HashMap<>();
  private final Map<String, Map<String, String>> sections = new HashMap<>();

  private PublicationLabels(Map<String, Object> yaml, SurveyDefinitions survey) {
    this.yaml = yaml;
    this.survey = survey;
    if (survey.classifiers().containsKey("kato_regions")) {
      for (Map<String, String> r : survey.classifier("kato_regions").rows()) {
        regions.putIfAbsent(r.get("kato_ab"), r);
      }
    }
    if (survey.classifiers().containsKey("oked_sections")) {
      for (Map<String, String> r : survey.classifier("oked_sections").rows()) {
        sections.putIfAbsent(r.get("section"), r);
      }
    }
  }

  /** Reads conf/publication.yaml from the survey folder. */
  @SuppressWarnings("unchecked")
  public static PublicationLabels load(Path surveyDir, SurveyDefinitions survey) {
    Path file = surveyDir.resolve(FILE);
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Object o = new Yaml().load(r);
      return new PublicationLabels(
          o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(), survey);
    } catch (IOException | RuntimeException e) {
      throw IctstatException.usage(
          "cannot read the publication labels " + file + ": " + e.getMessage(),
          "restore conf/" + FILE + " (titles, units, footnotes in kk, ru, en)");
    }
  }

  public List<String> languages() {
    Object l = yaml.get("languages");
    return l instanceof List<?> list
        ? list.stream().map(String::valueOf).toList()
        : Labels.LANGUAGES;
  }

  /** A top-level label (title, series, year, flag) in {@code lang}. */
  public String text(String key, String lang) {
    return pick(yaml.get(key), lang, key);
  }

  /** The unit of an indicator, e.g. "%" or "организаций". */
  public String unit(String unit, String lang) {
    if (unit == null) return "";
    return pick(map(yaml.get("units")).get(unit), lang, unit);
  }

  /** The footnote of a flag letter (c, u, b). */
  public String footnote(char flag, String lang) {
    return pick(map(yaml.get("footnotes")).get(String.valueOf(flag)), lang, String.valueOf(flag));
  }

  /** The label of a domain code of a domain type, e.g. region "75" -> "Almaty city". */
  public String code(String domainType, String code, String lang) {
    Domain d =
        survey.domains().stream().filter(x -> x.id().equals(domainType)).findFirst().orElse(null);
    if (d == null || EstimationQuery.TOTAL_CODE.equals(code)) {
      Domain total =
          survey.domains().stream().filter(x -> x.by().isEmpty()).findFirst().orElse(null);
      return total == null ? code : total.labels().get(lang);
    }
    String[] parts = code.split("\\|", -1);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < parts.length && i < d.by().size(); i++) {
      if (i > 0) s.append(" | ");
      s.append(variable(d.by().get(i), parts[i], lang));
    }
    return s.toString();
  }

  String variable(String var, String value, String lang) {
    Map<String, String> row =
        switch (var) {
          case "region" -> regions.get(value);
          case "section" -> sections.get(value);
          default -> null;
        };
    if (row != null) {
      String v = row.get("name_" + lang);
      if (v == null || v.isBlank()) v = row.get("name_ru");
      if (v == null || v.isBlank()) v = row.get("name_en");
      return "section".equals(var) ? value + " " + v : v;
    }
    if ("size_class".equals(var)) return pick(map(yaml.get("size_class")).get(value), lang, value);
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
  }

  private static String pick(Object o, String lang, String fallback) {
    Map<String, Object> m = map(o);
    for (String l : List.of(lang, "ru", "en")) {
      if (m.get(l) != null) return String.valueOf(m.get(l));
    }
    return fallback;
  }
}
