package kz.stat.ictstat.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * The resolved, validated configuration of one run. Immutable; built by {@link ConfigLoader}.
 *
 * @param values every setting's typed value, by key
 * @param sources where each value came from (command line, environment, file, default)
 * @param sparkConf {@code spark.*} settings passed through to the session
 */
public record JobConfig(
    Map<String, Object> values, Map<String, String> sources, Map<String, String> sparkConf) {

  public JobConfig {
    values = Map.copyOf(values);
    sources = Map.copyOf(sources);
    sparkConf = Map.copyOf(sparkConf);
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return (T) values.get(setting.key());
  }

  public Path warehouse() {
    return get(Settings.WAREHOUSE);
  }

  public Path surveyDir() {
    return get(Settings.SURVEY_DIR);
  }

  public Path inputDir() {
    return get(Settings.INPUT_DIR);
  }

  public Path outputDir() {
    return get(Settings.OUTPUT_DIR);
  }

  public YearRange years() {
    return get(Settings.YEARS);
  }

  public long seed() {
    return get(Settings.SEED);
  }

  public double scale() {
    return get(Settings.SCALE);
  }

  public String profile() {
    return get(Settings.PROFILE);
  }

  /** A copy with one setting replaced, as if given on the command line. */
  public JobConfig with(Setting<?> setting, String text) {
    var v = new java.util.HashMap<>(values);
    var s = new java.util.HashMap<>(sources);
    v.put(setting.key(), ConfigLoader.parse(setting, text, "command line"));
    s.put(setting.key(), "command line");
    return new JobConfig(v, s, sparkConf);
  }
}
