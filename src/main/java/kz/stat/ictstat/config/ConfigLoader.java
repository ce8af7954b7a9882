package kz.stat.ictstat.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import kz.stat.ictstat.IctstatException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Resolves the job configuration. Precedence, highest first:
 *
 * <ol>
 *   <li>command line: {@code --set key=value}, dedicated options such as {@code --warehouse}, and
 *       {@code --conf spark.key=value};
 *   <li>environment: {@code ICTSTAT_<KEY>} with the key upper-cased and dots as underscores, e.g.
 *       {@code ICTSTAT_WAREHOUSE}, {@code ICTSTAT_SURVEY_DIR};
 *   <li>the configuration file, {@code conf/ictstat.yaml} or the one given by {@code --config};
 *   <li>the default of each {@link Setting}.
 * </ol>
 *
 * <p>Nested YAML maps are flattened to dotted keys. Keys under {@code spark:} pass through to the
 * Spark session unchanged. Any other unknown key is an error naming the closest valid key. The
 * token {@code ${ictstat.home}} in a value is the installation folder (system property {@code
 * ictstat.home}, set by the launcher; the current folder otherwise).
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  public static JobConfig load(
      Path file, boolean fileRequired, Map<String, String> environment, Map<String, String> cli) {
    Map<String, String> fromFile = new LinkedHashMap<>();
    if (file != null && Files.exists(file)) {
      fromFile = readYaml(file);
    } else if (fileRequired) {
      throw IctstatException.missingFile(
          "configuration file",
          file,
          "give an existing file with --config, or leave --config out to use conf/ictstat.yaml");
    }
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    Map<String, String> spark = new LinkedHashMap<>();
    String fileName = file == null ? "file" : file.toString();
    for (var e : fromFile.entrySet()) {
      if (e.getKey().startsWith("spark.")) {
        spark.put(e.getKey(), e.getValue());
      } else {
        requireKnown(e.getKey(), "in " + fileName);
      }
    }
    for (var e : cli.entrySet()) {
      if (e.getKey().startsWith("spark.")) spark.put(e.getKey(), e.getValue());
      else requireKnown(e.getKey(), "on the command line");
    }
    for (Setting<?> s : Settings.all().values()) {
      String text;
      String source;
      if (cli.containsKey(s.key())) {
        text = cli.get(s.key());
        source = "command line";
      } else if (environment.containsKey(s.envName())) {
        text = environment.get(s.envName());
        source = "environment " + s.envName();
      } else if (fromFile.containsKey(s.key())) {
        text = fromFile.get(s.key());
        source = fileName;
      } else {
        text = s.defaultValue();
        source = "default";
      }
      values.put(s.key(), parse(s, text, source));
      sources.put(s.key(), source);
    }
    return new JobConfig(values, sources, spark);
  }

  static Object parse(Setting<?> s, String text, String source) {
    String expanded = text.replace("${ictstat.home}", System.getProperty("ictstat.home", "."));
    try {
      return s.parser().apply(expanded);
    } catch (IllegalArgumentException e) {
      throw IctstatException.usage(
          "invalid value for '" + s.key() + "' (" + source + "): " + e.getMessage(),
          "expected " + s.help());
    }
  }

  private static void requireKnown(String key, String where) {
    if (Settings.find(key).isEmpty()) {
      throw IctstatException.usage(
          "unknown configuration key '" + key + "' " + where,
          "did you mean '" + Settings.closest(key) + "'? (`ictstat config` lists every key)");
    }
  }

  private static Map<String, String> readYaml(Path file) {
    Object root;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
    } catch (IOException | RuntimeException e) {
      throw IctstatException.usage(
          "cannot read configuration file "
              + file
              + ": "
              + e.getMessage().lines().findFirst().orElse(""),
          "fix the YAML syntax");
    }
    Map<String, String> flat = new LinkedHashMap<>();
    if (root == null) return flat;
    if (!(root instanceof Map<?, ?> m)) {
      throw IctstatException.usage(
          "configuration file " + file + " must be a map of key: value", "see conf/ictstat.yaml");
    }
    flatten("", m, flat);
    return flat;
  }

  private static void flatten(String prefix, Map<?, ?> m, Map<String, String> out) {
    for (var e : m.entrySet()) {
      String key = prefix + e.getKey();
      if (e.getValue() instanceof Map<?, ?> child) flatten(key + ".", child, out);
      else if (e.getValue() != null) out.put(key, String.valueOf(e.getValue()));
    }
  }
}
