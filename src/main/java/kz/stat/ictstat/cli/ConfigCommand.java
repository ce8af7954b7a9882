package kz.stat.ictstat.cli;

import java.util.Locale;
import kz.stat.ictstat.config.Setting;
import kz.stat.ictstat.config.Settings;
import picocli.CommandLine.Command;

@Command(
    name = "config",
    description =
        "Show every configuration key with its value, where it came from, and its meaning.")
final class ConfigCommand extends BaseCommand {
  @Override
  protected int execute(Context ctx) {
    var c = ctx.config();
    for (Setting<?> s : Settings.all().values()) {
      ctx.out()
          .printf(
              Locale.ROOT,
              "%-11s = %-28s (%s; env %s)%n              %s%n",
              s.key(),
              c.values().get(s.key()),
              c.sources().get(s.key()),
              s.envName(),
              s.help());
    }
    c.sparkConf().forEach((k, v) -> ctx.out().printf("%s = %s%n", k, v));
    return 0;
  }
}
