package kz.stat.ictstat.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.sampling.Sampler;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "sample",
    description =
        "Draw each year's stratified PRN sample from core.register by conf/design.yaml; writes"
            + " core.sample and core.strata.")
final class SampleCommand extends BaseCommand {
  @Option(
      names = {"--years", "--year"},
      paramLabel = "YEARS",
      description = "reference years, e.g. 2024 or 2004-2024 (default: the `years` setting)")
  String years;

  @Override
  protected Map<String, String> configOverrides() {
    Map<String, String> m = new LinkedHashMap<>();
    if (years != null) m.put("years", years);
    return m;
  }

  @Override
  protected int execute(Context ctx) {
    YearRange yr = ctx.config().years();
    SurveyDefinitions survey = SurveyLoader.load(ctx.config().surveyDir());
    new Sampler(survey, ctx.config().seed()).execute(ctx.catalog(), yr, ctx.out());
    String where = yr.sql();
    for (Row row :
        ctx.catalog()
            .read(Sampler.STRATA)
            .where(where)
            .groupBy("year")
            .agg(
                org.apache.spark.sql.functions.count("stratum"),
                org.apache.spark.sql.functions.sum("frame_units"),
                org.apache.spark.sql.functions.sum("sample_units"))
            .orderBy("year")
            .collectAsList()) {
      ctx.out()
          .printf(
              "  %d: %d strata, frame %d units, sample %d units%n",
              row.getInt(0), row.getLong(1), row.getLong(2), row.getLong(3));
    }
    return 0;
  }
}
