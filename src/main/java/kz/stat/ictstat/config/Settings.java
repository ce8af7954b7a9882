package kz.stat.ictstat.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The registry of every configuration key the job knows. Unknown keys are errors. */
public final class Settings {
  private Settings() {}

  public static final Setting<Path> WAREHOUSE =
      new Setting<>(
          "warehouse",
          "./warehouse",
          Path::of,
          "folder holding the Delta tables (raw, core, pub, ref, research); any Hadoop path on a"
              + " cluster");
  public static final Setting<Path> SURVEY_DIR =
      new Setting<>(
          "survey.dir",
          "${ictstat.home}/conf",
          Path::of,
          "folder with the survey definitions: classifiers, forms, items, indicators, domains,"
              + " design, rules");
  public static final Setting<Path> INPUT_DIR =
      new Setting<>(
          "input.dir",
          "./input",
          Path::of,
          "folder of the yearly input files (registers, response files) that ingest reads");
  public static final Setting<Path> OUTPUT_DIR =
      new Setting<>(
          "output.dir",
          "./output",
          Path::of,
          "folder for publications: XLSX tables, SDMX, charts, quality reports");
  public static final Setting<YearRange> YEARS =
      new Setting<>(
          "years", "2004-2024", YearRange::parse, "reference years, e.g. 2024 or 2004-2024");
  public static final Setting<Long> SEED =
      new Setting<>(
          "seed", "20250119", Settings::parseLong, "random seed for synthetic data and sampling");
  public static final Setting<Double> SCALE =
      new Setting<>(
          "scale",
          "1",
          s -> positiveDouble(s, "scale"),
          "multiplier of the synthetic population size (1 = realistic volume; 10, 100 for"
              + " benchmarks)");
  public static final Setting<String> PROFILE =
      new Setting<>(
          "profile",
          "statistician",
          s -> oneOf(s, "statistician", "analyst"),
          "access profile: statistician (all schemas) or analyst (pub, ref and research only)");

  private static final Map<String, Setting<?>> ALL = new LinkedHashMap<>();

  static {
    for (Setting<?> s :
        new Setting<?>[] {
          WAREHOUSE, SURVEY_DIR, INPUT_DIR, OUTPUT_DIR, YEARS, SEED, SCALE, PROFILE
        }) {
      ALL.put(s.key(), s);
    }
  }

  public static Map<String, Setting<?>> all() {
    return java.util.Collections.unmodifiableMap(ALL);
  }

  public static Optional<Setting<?>> find(String key) {
    return Optional.ofNullable(ALL.get(key));
  }

  /** The known key closest to {@code key} (edit distance), for "did you mean" messages. */
  public static String closest(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : ALL.keySet()) {
      int d = editDistance(key, candidate);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best;
  }

  public static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a whole number");
    }
  }

  private static double positiveDouble(String s, String what) {
    double v;
    try {
      v = Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a number");
    }
    if (!(v > 0)) throw new IllegalArgumentException(what + " must be > 0, got " + s);
    return v;
  }

  private static String oneOf(String s, String... allowed) {
    for (String a : allowed) if (a.equals(s.trim())) return a;
    throw new IllegalArgumentException("'" + s + "' is not one of " + String.join(", ", allowed));
  }
}
