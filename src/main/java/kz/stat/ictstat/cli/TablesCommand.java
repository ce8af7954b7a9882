package kz.stat.ictstat.cli;

import picocli.CommandLine.Command;

@Command(
    name = "tables",
    description = "List the Delta tables of the warehouse with their row counts.")
final class TablesCommand extends BaseCommand {
  @Override
  protected int execute(Context ctx) {
    var tables = ctx.catalog().existing();
    if (tables.isEmpty()) {
      ctx.out()
          .println(
              "warehouse " + ctx.catalog().warehouse() + " holds no tables yet; run `ictstat run`");
      return 0;
    }
    for (var e : tables.entrySet()) {
      long n = ctx.catalog().read(e.getKey()).count();
      ctx.out().printf("%-28s %12d rows  %s%n", e.getKey(), n, e.getValue());
    }
    return 0;
  }
}
