package kz.stat.ictstat.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import kz.stat.ictstat.synthetic.Generator;
import kz.stat.ictstat.synthetic.SyntheticModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "generate",
    description =
        "Write a synthetic population: yearly registers and response files under input.dir, the"
            + " truth (true values, injected errors, samples) apart under --truth.")
final class GenerateCommand extends BaseCommand {
  @picocli.CommandLine.Mixin PopulationOptions population = new PopulationOptions();

  @Option(
      names = "--truth",
      paramLabel = "DIR",
      description = "folder for the truth (default: <input.dir>/../truth)")
  Path truth;

  @Override
  protected Map<String, String> configOverrides() {
    Map<String, String> m = new LinkedHashMap<>();
    population.addTo(m);
    return m;
  }

  @Override
  protected int execute(Context ctx) {
    var c = ctx.config();
    SurveyDefinitions survey = SurveyLoader.load(c.surveyDir());
    SyntheticModel model = SyntheticModel.load(c.surveyDir().resolve("synthetic.yaml"));
    Path truthDir = truth != null ? truth : Generator.Options.defaultTruthDir(c.inputDir());
    Generator.Result r =
        new Generator(
                survey,
                model,
                new Generator.Options(c.inputDir(), truthDir, c.years(), c.seed(), c.scale()),
                ctx.spark(),
                ctx.out())
            .execute();
    ctx.out()
        .printf(
            Locale.ROOT,
            "generated %s (scale %s, seed %d) in %.1f s: input %s, truth %s%n",
            c.years(),
            c.scale(),
            c.seed(),
            r.seconds(),
            r.inputDir().toAbsolutePath().normalize(),
            r.truthDir().toAbsolutePath().normalize());
    return 0;
  }
}
