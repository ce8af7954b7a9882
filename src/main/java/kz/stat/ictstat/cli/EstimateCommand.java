package kz.stat.ictstat.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.estimation.Estimation;
import kz.stat.ictstat.survey.SampleDesign.LonelyPolicy;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import kz.stat.ictstat.weighting.Calibration;
import kz.stat.ictstat.weighting.Weighting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "estimate",
    description =
        "Weight the respondents (core.design, core.weights) and estimate every indicator × domain"
            + " × year with its precision (pub.estimates); print the headline indicators of the"
            + " last year.")
final class EstimateCommand extends BaseCommand {
  @Option(names = "--years", paramLabel = "YEARS", description = "e.g. 2024 or 2004-2024")
  String years;

  @Option(
      names = "--lonely",
      paramLabel = "POLICY",
      description =
          "strata with one respondent: fail, certainty, collapse or average (default:"
              + " lonely_strata of design.yaml)")
  String lonely;

  @Option(
      names = "--response-groups",
      split = ",",
      paramLabel = "VAR",
      description =
          "response homogeneity groups by these domain variables (default: the strata), e.g."
              + " size_class,region")
  List<String> responseGroups = List.of();

  @Override
  protected Map<String, String> configOverrides() {
    Map<String, String> m = new LinkedHashMap<>();
    if (years != null) m.put("years", years);
    return m;
  }

  @Override
  protected int execute(Context ctx) {
    SurveyDefinitions survey = SurveyLoader.load(ctx.config().surveyDir());
    LonelyPolicy policy = lonely != null ? parsePolicy(lonely) : survey.design().lonelyStrata();
    new Weighting(ctx.catalog(), ctx.out(), survey)
        .execute(
            new Weighting.Options(
                ctx.config().years(),
                policy,
                responseGroups,
                Calibration.load(ctx.config().surveyDir())));
    Estimation est = new Estimation(ctx.catalog(), survey, ctx.out());
    Estimation.Result r = est.execute(ctx.config().years());
    ctx.out()
        .printf(
            "  estimation %d rows (%d indicators × %d domain types × years %s) in %s%n",
            r.rows(), r.indicators(), r.domains(), r.years(), Estimation.ESTIMATES);
    est.printHeadline(ctx.config().years().last());
    return 0;
  }

  static LonelyPolicy parsePolicy(String text) {
    for (LonelyPolicy p : LonelyPolicy.values()) {
      if (p.name().equalsIgnoreCase(text.trim())) return p;
    }
    throw IctstatException.usage(
        "unknown --lonely policy '" + text + "'", "use one of fail, certainty, collapse, average");
  }
}
