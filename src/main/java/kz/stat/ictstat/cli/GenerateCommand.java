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
  @Option(
      names = {"--years", "--year"},
      paramLabel = "YEARS",
      description = "reference years, e.g. 2024 or 2004-2024 (default: the `years` setting)")
  String years;

  @Option(
      names = "--scale",
      paramLabel = "X",
      description = "multiplies the population (1 = realistic volume; 10, 100 for benchmarks)")
  String scale;

  @Option(names = "--seed", paramLabel = "N", description = "random seed (default: `seed`)")
  String seed;

  @Option(
      names = "--truth",
      paramLabel = "DIR",
      description = "folder for the truth (default: <input.dir>/../truth)")
  Path truth;

  @Override
  protected Map<String, String> configOverrides() {
    Map<String, String> m = new LinkedHashMap<>();
    if (years != null) m.put("years", years);
    if (scale != null) m.put("scale", scale);
    if (seed != null) m.put("seed", seed);
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
