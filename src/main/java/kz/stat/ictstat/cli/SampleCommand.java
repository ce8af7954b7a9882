package kz.stat.ictstat.cli;

import static org.apache.spark.sql.functions.col;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.sampling.Sampler;
import kz.stat.ictstat.spark.Stage;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import org.apache.spark.sql.Dataset;
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
    Stage stage = new Stage(ctx.spark(), "sample", ctx.out());
    Dataset<Row> register =
        ctx.catalog().read("core.register").where(col("year").between(yr.first(), yr.last()));
    List<Integer> present =
        register.select("year").distinct().collectAsList().stream().map(r -> r.getInt(0)).toList();
    if (present.isEmpty()) {
      throw IctstatException.usage(
          "core.register has no rows for years " + yr,
          "ingest the registers of those years first (`ictstat ingest --years " + yr + "`)");
    }
    Sampler.Result r = new Sampler(survey, ctx.config().seed()).draw(register);
    String where = yr.sql();
    stage.run(
        "core.sample " + yr,
        () -> ctx.catalog().replaceWhere("core.sample", r.sample(), where, "year"));
    stage.run(
        "core.strata " + yr,
        () -> ctx.catalog().replaceWhere("core.strata", r.strata(), where, "year"));
    for (Row row :
        ctx.catalog()
            .read("core.strata")
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
