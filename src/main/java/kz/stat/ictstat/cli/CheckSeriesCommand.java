package kz.stat.ictstat.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import kz.stat.ictstat.consistency.Consistency;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "check-series",
    description =
        "Consistency over the years: comparable-territory regional series, macro checks of every"
            + " published series (pub.series_checks: change, z, breaks `b`, outliers) and"
            + " micro-editing of panel units (core.edit_flags); prints what was flagged and why.")
final class CheckSeriesCommand extends BaseCommand {
  @Option(names = "--years", paramLabel = "YEARS", description = "e.g. 2004-2024")
  String years;

  @Option(names = "--limit", paramLabel = "N", description = "rows to print per list (default 30)")
  int limit = 30;

  @Option(names = "--no-micro", description = "skip micro-editing of units")
  boolean noMicro;

  @Option(names = "--no-territory", description = "skip the comparable-territory regional series")
  boolean noTerritory;

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
    Consistency.Result r =
        c.execute(new Consistency.Options(ctx.config().years(), !noTerritory, !noMicro));
    c.printReport(r, limit);
    return 0;
  }
}
