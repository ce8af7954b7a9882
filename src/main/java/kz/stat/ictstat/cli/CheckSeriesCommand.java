package kz.stat.ictstat.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.consistency.Consistency;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "check-series",
    description =
        "Consistency over the years: macro checks of every published series, the"
            + " comparable-territory regions among them (pub.series_checks: change, z, breaks `b`,"
            + " outliers) and"
            + " micro-editing of panel units (core.edit_flags); prints what was flagged and why.")
final class CheckSeriesCommand extends BaseCommand {
  @Option(names = "--years", paramLabel = "YEARS", description = "e.g. 2004-2024")
  String years;

  @Option(names = "--limit", paramLabel = "N", description = "rows to print per list (default 30)")
  int limit = 30;

  @Option(names = "--no-micro", description = "skip micro-editing of units")
  boolean noMicro;

  @Option(
      names = "--recall",
      paramLabel = "CSV",
      description =
          "the generator's injected error log (truth/errors.csv): recall of micro-editing per"
              + " error type and what explains the flagged units")
  Path recall;

  @Override
  protected Map<String, String> configOverrides() {
    Map<String, String> m = new LinkedHashMap<>();
    if (years != null) m.put("years", years);
    return m;
  }

  @Override
  protected int execute(Context ctx) {
    SurveyDefinitions survey = SurveyLoader.load(ctx.config().surveyDir());
    Consistency c = new Consistency(ctx.catalog(), survey, ctx.config().surveyDir(), ctx.out());
    Consistency.Result r = c.execute(new Consistency.Options(ctx.config().years(), !noMicro));
    c.printReport(r, limit);
    if (recall != null) {
      if (!Files.exists(recall)) {
        throw IctstatException.missingFile(
            "error log", recall, "give the errors.csv the generator wrote with --recall");
      }
      Dataset<Row> log = ctx.spark().read().option("header", "true").csv(recall.toString());
      for (String col : new String[] {"year", "bin", "item", "error_type"}) {
        if (!Arrays.asList(log.columns()).contains(col)) {
          throw IctstatException.usage(
              "error log " + recall + " has no column '" + col + "'",
              "its header must hold year,bin,item,error_type; it has "
                  + String.join(",", log.columns()));
        }
      }
      ctx.out().printf("%nMicro-editing against the injected errors of %s%n", recall);
      ctx.out().print(c.recall(log, ctx.config().years()).render());
    }
    return 0;
  }
}
