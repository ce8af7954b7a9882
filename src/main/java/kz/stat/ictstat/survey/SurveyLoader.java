package kz.stat.ictstat.survey;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.config.YearRange;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Loads and checks the survey definitions under {@code conf/}. Every problem (unknown item,
 * expression that does not parse, overlapping years, duplicate id, missing label, …) is collected
 * with its file and entry, and all are reported at once in one usage error (exit code 2).
 */
public final class SurveyLoader {
  private final Path dir;
  private final List<String> problems = new ArrayList<>();

  private SurveyLoader(Path dir) {
    this.dir = dir;
  }

  public static SurveyDefinitions load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw IctstatException.missingFile(
          "survey definitions folder", dir, "set survey.dir to the folder holding items.yaml");
    }
    return new SurveyLoader(dir).run();
  }

  private SurveyDefinitions run() {
    Map<String, Item> items = loadItems();
    List<FormVersion> forms = loadForms(items);
    Map<String, Classifier> classifiers = loadClassifiers();
    Map<String, Object> domainsYaml = yaml("domains.yaml");
    List<Domain> domains = loadDomains(domainsYaml);
    Optional<Domain> comparable = loadComparableTerritory(domainsYaml, domains, forms);
    List<Indicator> indicators = loadIndicators(items);
    SampleDesign design = loadDesign();
    if (!problems.isEmpty()) {
      throw IctstatException.usage(
          problems.size()
              + " problem(s) in the survey definitions under "
              + dir
              + ":\n  - "
              + String.join("\n  - ", problems),
          "fix them and run again");
    }
    return new SurveyDefinitions(
        items, forms, classifiers, indicators, domains, comparable, design);
  }

  private void problem(String file, String entry, String reason) {
    problems.add(file + (entry == null ? "" : " [" + entry + "]") + ": " + reason);
  }

  // ---- items ----

  private Map<String, Item> loadItems() {
    Map<String, Item> out = new LinkedHashMap<>();
    String file = "items.yaml";
    for (Map<String, Object> m : list(yaml(file), "items", file)) {
      String id = str(m, "id");
      if (id == null) {
        problem(file, null, "an item has no id");
        continue;
      }
      if (out.containsKey(id)) problem(file, id, "duplicate item id");
      ItemType type = null;
      try {
        type = ItemType.valueOf(String.valueOf(m.get("type")).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problem(
            file,
            id,
            "unknown type '"
                + m.get("type")
                + "' (use one of "
                + List.of(ItemType.values()).toString().toLowerCase(Locale.ROOT)
                + ")");
      }
      Integer since = integer(m, "since", file, id);
      Integer until = integer(m, "until", file, id);
      if (since == null) problem(file, id, "'since' (first year) is missing");
      if (since != null && until != null && until < since) {
        problem(file, id, "until " + until + " is before since " + since);
      }
      @SuppressWarnings("unchecked")
      List<Integer> allowed = (List<Integer>) m.getOrDefault("allowed", List.of());
      Labels labels = labels(m, file, id);
      if (type != null && since != null) {
        out.put(
            id,
            new Item(
                id,
                type,
                str(m, "unit"),
                str(m, "classifier"),
                since,
                until,
                allowed,
                labels,
                str(m, "eurostat")));
      }
    }
    return out;
  }

  // ---- forms ----

  private List<FormVersion> loadForms(Map<String, Item> items) {
    List<FormVersion> forms = new ArrayList<>();
    Path formsDir = dir.resolve("forms");
    List<Path> files = listFiles(formsDir, ".yaml");
    if (files.isEmpty()) problem("forms/", null, "no form version files (*.yaml)");
    for (Path f : files) {
      String file = "forms/" + f.getFileName();
      Map<String, Object> m = yaml(file);
      if (m == null) continue;
      String version = str(m, "version");
      if (version == null) problem(file, null, "'version' is missing");
      YearRange years = null;
      try {
        years = YearRange.parse(String.valueOf(m.get("years")));
      } catch (IllegalArgumentException e) {
        problem(file, version, "years: " + e.getMessage());
      }
      Map<String, String> columns = new LinkedHashMap<>();
      Set<String> seenItems = new HashSet<>();
      if (!(m.get("columns") instanceof Map<?, ?> cols)) {
        problem(file, version, "'columns' must map raw column codes to canonical items");
      } else {
        for (var e : cols.entrySet()) {
          String code = String.valueOf(e.getKey());
          String item = String.valueOf(e.getValue());
          Item it = items.get(item);
          if (it == null) {
            problem(
                file,
                version,
                "column "
                    + code
                    + " maps to unknown item '"
                    + item
                    + "'"
                    + closest(item, items.keySet()));
          } else if (years != null && !(it.existsIn(years.first()) && it.existsIn(years.last()))) {
            problem(
                file,
                version,
                "column "
                    + code
                    + ": item '"
                    + item
                    + "' does not exist in all of "
                    + years
                    + " (items.yaml: since "
                    + it.since()
                    + (it.until() == null ? "" : ", until " + it.until())
                    + ")");
          }
          if (!seenItems.add(item)) problem(file, version, "item '" + item + "' is mapped twice");
          columns.put(code, item);
        }
        for (Item it : items.values()) {
          if ((it.type() == ItemType.ID || it.type() == ItemType.YEAR)
              && !seenItems.contains(it.id())) {
            problem(file, version, "identification item '" + it.id() + "' has no column");
          }
        }
      }
      if (version != null && years != null) {
        forms.add(new FormVersion(version, years, str(m, "description"), columns));
      }
    }
    forms.sort(java.util.Comparator.comparingInt(f -> f.years().first()));
    Set<String> versions = new HashSet<>();
    for (int i = 0; i < forms.size(); i++) {
      FormVersion a = forms.get(i);
      if (!versions.add(a.version())) problem("forms/", a.version(), "duplicate version id");
      if (i > 0) {
        FormVersion prev = forms.get(i - 1);
        if (a.years().first() <= prev.years().last()) {
          problem(
              "forms/",
              a.version(),
              "years " + a.years() + " overlap " + prev.version() + " " + prev.years());
        } else if (a.years().first() > prev.years().last() + 1) {
          problem(
              "forms/",
              a.version(),
              "no version covers " + (prev.years().last() + 1) + "-" + (a.years().first() - 1));
        }
      }
    }
    return forms;
  }

  // ---- classifiers ----

  private Map<String, Classifier> loadClassifiers() {
    Map<String, Classifier> out = new LinkedHashMap<>();
    for (Path f : listFiles(dir.resolve("classifiers"), ".csv")) {
      String name = f.getFileName().toString().replace(".csv", "");
      String file = "classifiers/" + f.getFileName();
      try {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
          problem(file, null, "empty file");
          continue;
        }
        List<String> header = Csv.split(lines.get(0), ',');
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
          if (lines.get(i).isBlank()) continue;
          List<String> v = Csv.split(lines.get(i), ',');
          if (v.size() != header.size()) {
            problem(file, "line " + (i + 1), v.size() + " fields, header has " + header.size());
            continue;
          }
          Map<String, String> row = new LinkedHashMap<>();
          for (int j = 0; j < header.size(); j++) row.put(header.get(j), v.get(j));
          rows.add(row);
        }
        Set<String> keys = new HashSet<>();
        for (var r : rows) {
          String k = r.get(header.get(0));
          if (!keys.add(k)) problem(file, k, "duplicate code in column " + header.get(0));
        }
        out.put(name, new Classifier(name, header, rows));
      } catch (IOException e) {
        problem(file, null, "cannot read: " + e.getMessage());
      }
    }
    for (String required :
        List.of("kato_regions", "kato_succession", "oked", "oked_sections", "krp", "kfs", "kse")) {
      if (!out.containsKey(required))
        problem("classifiers/", required, "missing " + required + ".csv");
    }
    return out;
  }

  // ---- domains ----

  private List<Domain> loadDomains(Map<String, Object> doc) {
    String file = "domains.yaml";
    List<Domain> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Map<String, Object> m : list(doc, "domains", file)) {
      String id = str(m, "id");
      if (id == null) {
        problem(file, null, "a domain has no id");
        continue;
      }
      if (!ids.add(id)) problem(file, id, "duplicate domain id");
      List<String> by = strings(m.get("by"));
      for (String v : by) {
        if (!Domain.VARIABLES.contains(v)) {
          problem(file, id, "unknown domain variable '" + v + "' (use " + Domain.VARIABLES + ")");
        }
      }
      out.add(new Domain(id, by, labels(m, file, id)));
    }
    return out;
  }

  /**
   * The {@code comparable_territory} entry of domains.yaml: its id and labels with {@code {year}}
   * replaced by the last year the form versions cover.
   */
  private Optional<Domain> loadComparableTerritory(
      Map<String, Object> doc, List<Domain> domains, List<FormVersion> forms) {
    String file = "domains.yaml";
    if (doc == null || !(doc.get("comparable_territory") instanceof Map<?, ?> raw)) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) raw;
    String id = str(m, "id");
    if (id == null || forms.isEmpty()) {
      if (id == null) problem(file, "comparable_territory", "no id (e.g. region_{year})");
      return Optional.empty();
    }
    String year = Integer.toString(SurveyDefinitions.lastYear(forms));
    String resolved = id.replace("{year}", year);
    if (domains.stream().anyMatch(d -> d.id().equals(resolved))) {
      problem(file, resolved, "comparable_territory has the id of a domain");
    }
    Map<String, String> labels = new HashMap<>();
    labels(m, file, resolved)
        .byLanguage()
        .forEach((k, v) -> labels.put(k, v.replace("{year}", year)));
    return Optional.of(new Domain(resolved, List.of(Domain.COMPARABLE_REGION), new Labels(labels)));
  }

  // ---- indicators ----

  private List<Indicator> loadIndicators(Map<String, Item> items) {
    String file = "indicators.yaml";
    List<Indicator> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Set<String> known = new LinkedHashSet<>(items.keySet());
    known.addAll(Domain.VARIABLES);
    for (Map<String, Object> m : list(yaml(file), "indicators", file)) {
      String id = str(m, "id");
      if (id == null) {
        problem(file, null, "an indicator has no id");
        continue;
      }
      if (!ids.add(id)) problem(file, id, "duplicate indicator id");
      Indicator.Kind kind = null;
      try {
        kind = Indicator.Kind.valueOf(String.valueOf(m.get("kind")).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problem(
            file,
            id,
            "unknown kind '"
                + m.get("kind")
                + "' (use count, total, share, ratio, employment_share)");
      }
      String num = str(m, "numerator");
      String den = str(m, "denominator");
      String pop = str(m, "population");
      if (num == null) problem(file, id, "'numerator' is missing");
      if (kind == Indicator.Kind.RATIO && den == null)
        problem(file, id, "a ratio needs a 'denominator'");
      Set<String> used = new LinkedHashSet<>();
      for (var e : new String[][] {{"numerator", num}, {"denominator", den}, {"population", pop}}) {
        if (e[1] == null) continue;
        try {
          for (String c : SqlExpressions.parse(e[1]).columns()) {
            if (!known.contains(c))
              problem(file, id, e[0] + " uses unknown item '" + c + "'" + closest(c, known));
            else if (items.containsKey(c)) used.add(c);
          }
        } catch (IllegalArgumentException ex) {
          problem(file, id, e[0] + " '" + e[1] + "' " + ex.getMessage());
        }
      }
      if (kind == Indicator.Kind.EMPLOYMENT_SHARE) used.add("employees");
      int first =
          used.stream()
              .filter(items::containsKey)
              .mapToInt(c -> items.get(c).since())
              .max()
              .orElse(2004);
      Integer last =
          used.stream()
              .filter(items::containsKey)
              .map(c -> items.get(c).until())
              .filter(java.util.Objects::nonNull)
              .min(Integer::compare)
              .orElse(null);
      double scale =
          m.get("publish_scale") instanceof Number n
              ? n.doubleValue()
              : (kind != null && kind.isRatio() && kind != Indicator.Kind.RATIO ? 100.0 : 1.0);
      Labels labels = labels(m, file, id);
      if (kind != null && num != null) {
        out.add(
            new Indicator(
                id,
                kind,
                num,
                den,
                pop,
                str(m, "unit"),
                scale,
                str(m, "eurostat"),
                Boolean.TRUE.equals(m.get("headline")),
                labels,
                used,
                first,
                last));
      }
    }
    return out;
  }

  // ---- design ----

  @SuppressWarnings("unchecked")
  private SampleDesign loadDesign() {
    String file = "design.yaml";
    Map<String, Object> m = yaml(file);
    if (m == null) return null;
    Map<String, Object> scope =
        m.get("in_scope") instanceof Map<?, ?> s ? (Map<String, Object>) s : Map.of();
    List<Integer> status = new ArrayList<>();
    for (String s : strings(scope.get("activity_status"))) status.add(Integer.valueOf(s));
    List<String> okedScope = strings(scope.get("oked_scope"));
    if (okedScope.isEmpty()) problem(file, "in_scope", "oked_scope is empty");
    List<String> strata = strings(m.get("strata"));
    for (String v : strata) {
      if (!Domain.VARIABLES.contains(v))
        problem(file, "strata", "unknown variable '" + v + "' (use " + Domain.VARIABLES + ")");
    }
    Map<String, Double> rates = new LinkedHashMap<>();
    if (m.get("sampling_rates") instanceof Map<?, ?> r) {
      for (var e : r.entrySet()) {
        double v = ((Number) e.getValue()).doubleValue();
        if (!(v > 0 && v <= 1))
          problem(file, "sampling_rates", e.getKey() + " = " + v + " is not in (0, 1]");
        rates.put(String.valueOf(e.getKey()), v);
      }
    } else {
      problem(
          file,
          "sampling_rates",
          "missing: give the rate per size class, e.g. {small: 0.1, medium: 1.0, large: 1.0}");
    }
    SampleDesign.LonelyPolicy lonely = SampleDesign.LonelyPolicy.COLLAPSE;
    try {
      lonely =
          SampleDesign.LonelyPolicy.valueOf(
              String.valueOf(m.getOrDefault("lonely_strata", "collapse")).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problem(
          file,
          "lonely_strata",
          "'" + m.get("lonely_strata") + "' is not one of fail, certainty, collapse, average");
    }
    int min = m.get("min_sample_per_stratum") instanceof Number n ? n.intValue() : 2;
    double rotation = m.get("rotation") instanceof Number n ? n.doubleValue() : 0.0;
    return new SampleDesign(status, okedScope, strata, rates, min, rotation, lonely);
  }

  // ---- helpers ----

  private Map<String, Object> yaml(String file) {
    Path p = dir.resolve(file);
    if (!Files.exists(p)) {
      problem(file, null, "file is missing");
      return null;
    }
    try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
      Object o = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
      if (o instanceof Map<?, ?> map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> cast = (Map<String, Object>) map;
        return cast;
      }
      problem(file, null, "must be a YAML map");
    } catch (IOException | RuntimeException e) {
      problem(
          file,
          null,
          "not valid YAML: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> list(Map<String, Object> root, String key, String file) {
    if (root == null) return List.of();
    Object v = root.get(key);
    if (!(v instanceof List<?> l)) {
      problem(file, null, "top-level '" + key + ":' list is missing");
      return List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : l) {
      if (o instanceof Map<?, ?> m) out.add((Map<String, Object>) m);
      else problem(file, String.valueOf(o), "entry is not a map");
    }
    return out;
  }

  private Labels labels(Map<String, Object> m, String file, String id) {
    Map<String, String> out = new HashMap<>();
    if (m.get("labels") instanceof Map<?, ?> l) {
      l.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    }
    for (String lang : Labels.LANGUAGES) {
      if (out.get(lang) == null || out.get(lang).isBlank())
        problem(file, id, "label missing for language '" + lang + "'");
    }
    return new Labels(out);
  }

  private Integer integer(Map<String, Object> m, String key, String file, String id) {
    Object v = m.get(key);
    if (v == null) return null;
    if (v instanceof Number n) return n.intValue();
    problem(file, id, key + " '" + v + "' is not a year");
    return null;
  }

  private static String str(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? null : String.valueOf(v);
  }

  private static List<String> strings(Object v) {
    if (!(v instanceof List<?> l)) return List.of();
    return l.stream().map(String::valueOf).toList();
  }

  private static String closest(String name, Set<String> known) {
    String best = null;
    int bestD = Integer.MAX_VALUE;
    for (String k : known) {
      int d = kz.stat.ictstat.config.Settings.editDistance(name, k);
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    return best != null && bestD <= Math.max(2, name.length() / 3)
        ? " (did you mean '" + best + "'?)"
        : "";
  }

  private static List<Path> listFiles(Path d, String suffix) {
    if (!Files.isDirectory(d)) return List.of();
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
