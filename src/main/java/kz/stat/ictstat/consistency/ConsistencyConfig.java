package kz.stat.ictstat.consistency;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.stat.ictstat.IctstatException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The parameters of the consistency checks, read from {@code conf/breaks.yaml} and {@code
 * conf/editing.yaml}. Every problem is collected and reported at once as one usage error.
 */
public record ConsistencyConfig(
    FormBreaks formBreaks,
    List<Event> events,
    HbParams hb,
    SelectiveParams selective,
    TransitionParams transitions,
    SeriesParams series) {

  /**
   * Form-version breaks: {@code affectsAll} flags every series at a new version, otherwise only the
   * indicators that use an item listed in {@code redefined} (version id to items).
   */
  public record FormBreaks(boolean affectsAll, Map<String, List<String>> redefined) {}

  /** A classification or boundary change (KATO, OKED) affecting one domain variable. */
  public record Event(
      String id,
      String what,
      LocalDate date,
      Integer firstYear,
      String variable,
      String classifier,
      List<String> codes) {
    /** The first reference year on the new basis. */
    public int effectiveYear() {
      return firstYear != null ? firstYear : date.getYear();
    }
  }

  /** Hidiroglou–Berthelot parameters (METHODS.md). */
  public record HbParams(
      List<String> items, double u, double a, double c, int minGroup, List<String> fallbackBy) {}

  /** Selective editing: items and the score above which a unit is flagged. */
  public record SelectiveParams(List<String> items, double threshold) {}

  /** Binary items whose panel transitions are tabulated, and the transitions flagged. */
  public record TransitionParams(List<String> items, List<String> flag) {}

  /** Macro checks: thresholds of the change z-score and of the robust score. */
  public record SeriesParams(double zThreshold, double robustThreshold, int minChanges) {}

  /** Loads both files from the survey definitions folder. */
  public static ConsistencyConfig load(Path dir) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> b = yaml(dir.resolve("breaks.yaml"), problems);
    Map<String, Object> e = yaml(dir.resolve("editing.yaml"), problems);
    FormBreaks fb = new FormBreaks(false, Map.of());
    List<Event> events = new ArrayList<>();
    if (b != null) {
      Map<String, Object> f = map(b, "form_versions", "breaks.yaml", problems);
      String affects = String.valueOf(f.getOrDefault("affects", "redefined"));
      if (!affects.equals("all") && !affects.equals("redefined")) {
        problems.add(
            "breaks.yaml: form_versions.affects is '" + affects + "'; use 'all' or 'redefined'");
      }
      Map<String, List<String>> red = new LinkedHashMap<>();
      map(f, "redefined", "breaks.yaml form_versions", problems)
          .forEach((k, v) -> red.put(k, strings(v)));
      fb = new FormBreaks(affects.equals("all"), red);
      Object evs = b.get("events");
      if (evs instanceof List<?> l) {
        for (Object o : l) {
          if (!(o instanceof Map<?, ?> m)) {
            problems.add("breaks.yaml: every entry of events must be a map, got " + o);
            continue;
          }
          String id = str(m.get("id"));
          LocalDate date = date(m.get("date"));
          String variable = str(m.get("variable"));
          if (id == null || date == null || variable == null) {
            problems.add(
                "breaks.yaml: event "
                    + m
                    + " needs id, date (YYYY-MM-DD) and variable (a domain variable)");
            continue;
          }
          Object fy = m.get("first_year");
          events.add(
              new Event(
                  id,
                  str(m.get("what")),
                  date,
                  fy == null ? null : Integer.valueOf(String.valueOf(fy)),
                  variable,
                  str(m.get("classifier")),
                  strings(m.get("codes"))));
        }
      }
    }
    HbParams hb = null;
    SelectiveParams sel = null;
    TransitionParams tr = null;
    SeriesParams sp = null;
    if (e != null) {
      Map<String, Object> h = map(e, "hidiroglou_berthelot", "editing.yaml", problems);
      hb =
          new HbParams(
              strings(h.get("items")),
              num(h, "U", 0.5, problems),
              num(h, "A", 0.05, problems),
              num(h, "C", 4, problems),
              (int) num(h, "min_group", 10, problems),
              strings(h.get("fallback_group_by")));
      Map<String, Object> s = map(e, "selective_editing", "editing.yaml", problems);
      sel = new SelectiveParams(strings(s.get("items")), num(s, "threshold", 0.01, problems));
      Map<String, Object> t = map(e, "transitions", "editing.yaml", problems);
      tr = new TransitionParams(strings(t.get("items")), strings(t.get("flag")));
      for (String x : tr.flag()) {
        if (!x.matches("[01]->[01]")) {
          problems.add("editing.yaml: transitions.flag '" + x + "' must look like 1->0");
        }
      }
      Map<String, Object> se = map(e, "series", "editing.yaml", problems);
      sp =
          new SeriesParams(
              num(se, "z_threshold", 3, problems),
              num(se, "robust_threshold", 3.5, problems),
              (int) num(se, "min_changes", 4, problems));
    }
    if (!problems.isEmpty()) {
      throw IctstatException.usage(
          problems.size()
              + " problem(s) in the consistency settings under "
              + dir
              + ":\n  - "
              + String.join("\n  - ", problems),
          "fix conf/breaks.yaml and conf/editing.yaml and run again");
    }
    return new ConsistencyConfig(fb, List.copyOf(events), hb, sel, tr, sp);
  }

  private static Map<String, Object> yaml(Path p, List<String> problems) {
    if (!Files.exists(p)) {
      problems.add(p.getFileName() + ": file is missing (" + p.toAbsolutePath() + ")");
      return null;
    }
    try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
      Object o = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
      if (o instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> cast = (Map<String, Object>) m;
        return cast;
      }
      problems.add(p.getFileName() + ": must be a YAML map");
    } catch (IOException | RuntimeException ex) {
      problems.add(
          p.getFileName()
              + ": not valid YAML: "
              + String.valueOf(ex.getMessage()).lines().findFirst().orElse(""));
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(
      Map<String, Object> root, String key, String where, List<String> problems) {
    Object v = root.get(key);
    if (v == null) return Map.of();
    if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
    problems.add(where + ": '" + key + "' must be a map, got " + v);
    return Map.of();
  }

  private static double num(Map<String, Object> m, String key, double dflt, List<String> problems) {
    Object v = m.get(key);
    if (v == null) return dflt;
    if (v instanceof Number n) return n.doubleValue();
    problems.add("editing.yaml: '" + key + "' must be a number, got '" + v + "'");
    return dflt;
  }

  private static List<String> strings(Object v) {
    if (v == null) return List.of();
    if (v instanceof List<?> l) return l.stream().map(String::valueOf).toList();
    return List.of(String.valueOf(v));
  }

  private static String str(Object v) {
    return v == null ? null : String.valueOf(v);
  }

  private static LocalDate date(Object v) {
    if (v instanceof Date d) return d.toInstant().atZone(ZoneOffset.UTC).toLocalDate();
    if (v == null) return null;
    try {
      return LocalDate.parse(String.valueOf(v));
    } catch (DateTimeParseException ex) {
      return null;
    }
  }
}
