package kz.stat.ictstat.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import kz.stat.ictstat.config.ConfigLoader;
import kz.stat.ictstat.config.JobConfig;
import picocli.CommandLine.Option;

/** Options every subcommand takes; they become an immutable {@link JobConfig}. */
public final class GlobalOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "configuration file (default: conf/ictstat.yaml of the installation)")
  Path config;

  @Option(names = "--warehouse", paramLabel = "DIR", description = "Delta warehouse folder")
  String warehouse;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "any configuration key (see `ictstat config`), e.g. --set scale=10")
  Map<String, String> set = new LinkedHashMap<>();

  @Option(
      names = "--conf",
      paramLabel = "spark.KEY=VALUE",
      description = "Spark setting passed through, e.g. --conf spark.sql.shuffle.partitions=4")
  Map<String, String> sparkConf = new LinkedHashMap<>();

  @Option(names = "--verbose", description = "show stack traces and Spark's own log")
  boolean verbose;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "show this command's options")
  boolean help;

  /** Resolves the configuration; extra command-line values (e.g. --years) come in {@code cli}. */
  JobConfig resolve(Map<String, String> commandSpecific) {
    Map<String, String> cli = new LinkedHashMap<>(set);
    for (var e : sparkConf.entrySet()) {
      String k = e.getKey().startsWith("spark.") ? e.getKey() : "spark." + e.getKey();
      cli.put(k, e.getValue());
    }
    if (warehouse != null) cli.put("warehouse", warehouse);
    cli.putAll(commandSpecific);
    boolean required = config != null;
    Path file = config != null ? config : defaultConfigFile();
    return ConfigLoader.load(file, required, System.getenv(), cli);
  }

  static Path defaultConfigFile() {
    Path home = Path.of(System.getProperty("ictstat.home", "."));
    Path f = home.resolve("conf/ictstat.yaml");
    return Files.exists(f) ? f : null;
  }
}
