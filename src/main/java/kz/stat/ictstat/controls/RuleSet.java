package kz.stat.ictstat.controls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.config.Settings;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.survey.FormVersion;
import kz.stat.ictstat.survey.Labels;
import kz.stat.ictstat.survey.SqlExpressions;
import kz.stat.ictstat.survey.SurveyDefinitions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The control rules of {@code <survey.dir>/rules/*.yaml}, checked at load: every expression and
 * condition parsed and typed (BOOLEAN) against the canonical schema plus the helper columns, only
 * allow-listed functions, unknown columns reported with the closest name, the declared kind
 * matching the columns used, every rule applicable in at least one year. All problems of all files
 * are reported at once, each with its file and rule id, in one usage error.
 */
public record RuleSet(List<Rule> rules) {
  /** The functions rule expressions may call (operators, CASE, CAST, IN, LIKE need no entry). */
  public static final Set<String> ALLOWED_FUNCTIONS =
      Set.of(
          "abs",
          "coalesce",
          "greatest",
          "least",
          "isnull",
          "isnotnull",
          "nvl",
          "ifnull",
          "nullif",
          "if",
          "round",
          "floor",
          "ceil",
          "ceiling",
          "sign",
          "pmod",
          "mod",
          "try_divide",
          "try_add",
          "try_subtract",
          "try_multiply",
          "length",
          "substring",
          "substr",
          "startswith",
          "endswith",
          "left",
          "right",
          "lower",
          "upper",
          "trim",
          "concat",
          "between",
          "regexp_like",
          "rlike",
          "like",
          "ascii",
          "int",
          "bigint",
          "double",
          "string",
          "boolean");

  public RuleSet {
    rules = List.copyOf(rules);
  }

  /** The rules evaluated in {@code year} (see {@link Rule#appliesIn}). */
  public List<Rule> applicable(int year, SurveyDefinitions survey) {
    return rules.stream().filter(r -> r.appliesIn(year, survey)).toList();
  }

  public Rule rule(String id) {
    return rules.stream()
        .filter(r -> r.id().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                IctstatException.usage(
                    "unknown rule '" + id + "'",
                    "use a rule id of conf/rules/*.yaml, e.g. " + rules.get(0).id()));
  }

  /** Error types of a synthetic error log the rules are meant to catch (their {@code catches}). */
  public Set<String> coveredErrorTypes() {
    Set<String> s = new TreeSet<>();
    rules.forEach(r -> s.addAll(r.catches()));
    return s;
  }

  /** Loads {@code <surveyDir>/rules/*.yaml}; {@code spark} types the expressions. */
  public static RuleSet load(Path surveyDir, SurveyDefinitions survey, SparkSession spark) {
    return new Loader(surveyDir, survey, spark).run();
  }

  private static final class Loader {
    private final Path surveyDir;
    private final SurveyDefinitions survey;
    private final SparkSession spark;
    private final HelperColumns helpers;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> known = new LinkedHashSet<>();
    private Dataset<Row> empty;

    Loader(Path surveyDir, SurveyDefinitions survey, SparkSession spark) {
      this.surveyDir = surveyDir;
      this.survey = survey;
      this.spark = spark;
      this.helpers = new HelperColumns(survey);
      for (var f : helpers.typingSchema().fields()) known.add(f.name());
    }

    RuleSet run() {
      Path dir = surveyDir.resolve("rules");
      List<Path> files = new ArrayList<>();
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().forEach(files::add);
        } catch (IOException e) {
          problem("rules/", null, "cannot list: " + e.getMessage());
        }
      }
      if (files.isEmpty()) {
        throw IctstatException.usage(
            "no control rule files (*.yaml) in " + dir.toAbsolutePath().normalize(),
            "set survey.dir to the folder whose rules/ holds the rule files");
      }
      List<Rule> rules = new ArrayList<>();
      Map<String, String> ids = new LinkedHashMap<>();
      for (Path f : files) {
        String file = "rules/" + f.getFileName();
        for (Map<String, Object> m : entries(f, file)) {
          Rule r = rule(m, file);
          if (r == null) continue;
          String before = ids.putIfAbsent(r.id(), file);
          if (before != null) {
            problem(file, r.id(), "duplicate rule id (also in " + before + ")");
          }
          rules.add(r);
        }
      }
      if (!problems.isEmpty()) {
        throw IctstatException.usage(
            problems.size()
                + " problem(s) in the control rules under "
                + dir
                + ":\n  - "
                + String.join("\n  - ", problems),
            "fix them and run again");
      }
      return new RuleSet(rules);
    }

    private void problem(String file, String id, String reason) {
      problems.add(file + (id == null ? "" : " [" + id + "]") + ": " + reason);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> entries(Path f, String file) {
      Object root;
      try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
      } catch (IOException | RuntimeException e) {
        problem(
            file,
            null,
            "not valid YAML: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        return List.of();
      }
      if (!(root instanceof Map<?, ?> map) || !(map.get("rules") instanceof List<?> list)) {
        problem(file, null, "must be a YAML map with a list under 'rules'");
        return List.of();
      }
      List<Map<String, Object>> out = new ArrayList<>();
      int n = 0;
      for (Object o : list) {
        n++;
        if (o instanceof Map<?, ?> m) out.add((Map<String, Object>) m);
        else problem(file, "entry " + n, "a rule must be a map");
      }
      return out;
    }

    private Rule rule(Map<String, Object> m, String file) {
      String id = str(m, "id");
      if (id == null) {
        problem(file, "entry without id", "a rule has no id");
        return null;
      }
      int before = problems.size();
      for (String k : m.keySet()) {
        if (!KEYS.contains(k)) {
          problem(file, id, "unknown key '" + k + "'" + closest(k, KEYS) + "; keys are " + KEYS);
        }
      }
      RuleKind kind = enumOf(RuleKind.class, str(m, "kind"), file, id, "kind");
      Severity severity = enumOf(Severity.class, str(m, "severity"), file, id, "severity");
      String code = str(m, "error_code");
      if (code == null) problem(file, id, "error_code is missing");
      Labels labels = labels(m.get("labels"), file, id);
      YearRange years = null;
      if (m.get("years") != null) {
        try {
          years = YearRange.parse(String.valueOf(m.get("years")));
        } catch (IllegalArgumentException e) {
          problem(file, id, "years: " + e.getMessage());
        }
      }
      Set<String> forms = new LinkedHashSet<>(strings(m.get("forms")));
      Set<String> versions =
          new TreeSet<>(survey.forms().stream().map(FormVersion::version).toList());
      for (String f : forms) {
        if (!versions.contains(f)) {
          problem(
              file,
              id,
              "unknown form version '"
                  + f
                  + "'"
                  + closest(f, versions)
                  + "; versions are "
                  + versions);
        }
      }
      String condition = str(m, "condition");
      String expression = str(m, "expression");
      List<String> columns = new ArrayList<>();
      if (expression == null) problem(file, id, "expression is missing");
      else check(expression, "expression", file, id, columns);
      if (condition != null) check(condition, "condition", file, id, columns);
      Set<String> items = new LinkedHashSet<>();
      Set<String> prevItems = new LinkedHashSet<>();
      RuleKind needed = RuleKind.IN_RECORD;
      for (String c : new LinkedHashSet<>(columns)) {
        (c.startsWith(HelperColumns.PREV) && !c.equals("prev_found") ? prevItems : items)
            .addAll(helpers.itemsBehind(c));
        RuleKind k = HelperColumns.kindOf(c);
        if (k.ordinal() > needed.ordinal()) needed = k;
      }
      if (kind != null && kind != needed) {
        problem(
            file,
            id,
            "kind is "
                + kind.code()
                + " but its columns make it "
                + needed.code()
                + (needed == RuleKind.IN_RECORD
                    ? " (a cross-record rule uses bin_count or in_sample, a cross-year rule prev_*)"
                    : ""));
      }
      Set<String> catches = new LinkedHashSet<>();
      for (String c : strings(m.get("catches"))) catches.add(normalise(c));
      if (problems.size() > before) return null;
      Rule r =
          new Rule(
              id,
              file,
              kind,
              severity,
              code,
              labels,
              str(m, "description"),
              years,
              forms,
              condition,
              expression,
              new ArrayList<>(new LinkedHashSet<>(columns)),
              items,
              prevItems,
              catches);
      boolean anyYear = false;
      for (int y = survey.firstYear(); y <= survey.lastYear(); y++)
        anyYear |= r.appliesIn(y, survey);
      if (!anyYear) {
        problem(
            file,
            id,
            "applies in no year: no form version of its years asks all of "
                + new TreeSet<>(items)
                + (prevItems.isEmpty() ? "" : " (previous year: " + prevItems + ")"));
        return null;
      }
      return r;
    }

    /** Parses, checks names and functions, and types one expression as BOOLEAN. */
    private void check(String sql, String what, String file, String id, List<String> columns) {
      SqlExpressions.Parsed p;
      try {
        p = SqlExpressions.parse(sql);
      } catch (IllegalArgumentException e) {
        problem(file, id, what + " " + e.getMessage());
        return;
      }
      boolean ok = true;
      for (String fn : p.functions()) {
        if (!ALLOWED_FUNCTIONS.contains(fn)) {
          problem(
              file,
              id,
              what
                  + " calls function '"
                  + fn
                  + "', which is not allowed; allowed: "
                  + new TreeSet<>(ALLOWED_FUNCTIONS));
          ok = false;
        }
      }
      for (String c : p.columns()) {
        if (!known.contains(c)) {
          problem(file, id, what + " uses unknown item or column '" + c + "'" + closest(c, known));
          ok = false;
        }
      }
      columns.addAll(p.columns());
      if (!ok || spark == null) return;
      DataType t;
      try {
        if (empty == null) empty = spark.createDataFrame(List.of(), helpers.typingSchema());
        t = empty.selectExpr("(" + sql + ") AS x").schema().fields()[0].dataType();
      } catch (Exception e) {
        String msg = String.valueOf(e.getMessage()).strip().lines().findFirst().orElse("");
        problem(file, id, what + " does not type-check: " + msg);
        return;
      }
      if (!t.equals(DataTypes.BooleanType)) {
        problem(
            file, id, what + " is of type " + t.simpleString() + ", not boolean: '" + sql + "'");
      }
    }

    private Labels labels(Object o, String file, String id) {
      Map<String, String> m = new LinkedHashMap<>();
      if (o instanceof Map<?, ?> map) {
        map.forEach((k, v) -> m.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
      }
      for (String lang : List.of("ru", "en")) {
        if (m.get(lang) == null || m.get(lang).isBlank()) {
          problem(file, id, "labels." + lang + " is missing");
        }
      }
      m.values().removeIf(v -> v == null);
      return new Labels(m);
    }

    private <E extends Enum<E>> E enumOf(
        Class<E> type, String v, String file, String id, String key) {
      List<String> allowed =
          java.util.Arrays.stream(type.getEnumConstants())
              .map(e -> e.name().toLowerCase(Locale.ROOT))
              .toList();
      if (v == null) {
        problem(file, id, key + " is missing; one of " + allowed);
        return null;
      }
      try {
        return Enum.valueOf(type, v.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problem(file, id, key + " '" + v + "' is not one of " + allowed);
        return null;
      }
    }

    private static String str(Map<String, Object> m, String k) {
      Object v = m.get(k);
      return v == null || String.valueOf(v).isBlank() ? null : String.valueOf(v).strip();
    }

    private static List<String> strings(Object o) {
      if (o == null) return List.of();
      if (o instanceof List<?> l) return l.stream().map(String::valueOf).toList();
      return List.of(String.valueOf(o));
    }
  }

  private static final Set<String> KEYS =
      new TreeSet<>(
          List.of(
              "id",
              "kind",
              "severity",
              "error_code",
              "labels",
              "description",
              "years",
              "forms",
              "condition",
              "expression",
              "catches"));

  /** Error type names compared in lower case with '_' for any other character. */
  public static String normalise(String errorType) {
    return errorType == null
        ? null
        : errorType.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
  }

  /** "; did you mean 'x'?" for the closest candidate by edit distance, or "". */
  static String closest(String typed, Set<String> candidates) {
    String best = null;
    int bestD = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = Settings.editDistance(typed, c);
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    return best != null && bestD <= Math.max(2, typed.length() / 3)
        ? "; did you mean '" + best + "'?"
        : "";
  }
}
