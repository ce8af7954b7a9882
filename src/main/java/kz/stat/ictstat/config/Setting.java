package kz.stat.ictstat.config;

import java.util.function.Function;

/**
 * One typed configuration key: name, default, parser, validator and help text.
 *
 * @param key dotted key as written in {@code conf/ictstat.yaml}
 * @param defaultValue default as text (parsed like any other value); may reference {@code
 *     ${ictstat.home}}
 * @param parser text to value; throws {@link IllegalArgumentException} with the reason
 * @param help one line shown by {@code ictstat config}
 */
public record Setting<T>(String key, String defaultValue, Function<String, T> parser, String help) {

  /** The environment variable that sets this key: {@code ICTSTAT_} + key upper-cased, dots as _. */
  public String envName() {
    return "ICTSTAT_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
