package kz.stat.ictstat.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/** The options of the commands that make a synthetic population: years, scale and seed. */
final class PopulationOptions {
  @Option(
      names = {"--years", "--year"},
      paramLabel = "YEARS",
      description = "reference years, e.g. 2024 or 2004-2024 (default: the `years` setting)")
  String years;

  @Option(
      names = "--scale",
      paramLabel = "X",
      description = "multiplies the population (1 = realistic volume; 10, 100 for benchmarks)")
  String scale;

  @Option(names = "--seed", paramLabel = "N", description = "random seed (default: `seed`)")
  String seed;

  /** Puts the given options on their configuration keys. */
  void addTo(Map<String, String> overrides) {
    if (years != null) overrides.put("years", years);
    if (scale != null) overrides.put("scale", scale);
    if (seed != null) overrides.put("seed", seed);
  }
}
