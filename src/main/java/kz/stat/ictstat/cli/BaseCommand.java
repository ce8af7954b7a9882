package kz.stat.ictstat.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import kz.stat.ictstat.config.JobConfig;
import picocli.CommandLine.Mixin;

/**
 * The shape of every subcommand: options, then {@link #execute(Context)} returning an exit code.
 */
abstract class BaseCommand implements Callable<Integer> {
  @Mixin GlobalOptions global = new GlobalOptions();

  /** Command-specific values that map onto configuration keys (e.g. {@code --years}). */
  protected Map<String, String> configOverrides() {
    return new LinkedHashMap<>();
  }

  protected abstract int execute(Context ctx) throws Exception;

  @Override
  public final Integer call() throws Exception {
    JobConfig config = global.resolve(configOverrides());
    try (Context ctx = new Context(config, global.verbose, System.out)) {
      return execute(ctx);
    }
  }
}
