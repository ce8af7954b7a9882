package kz.stat.ictstat.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kz.stat.ictstat.spark.Stage;
import kz.stat.ictstat.survey.DataDictionary;
import kz.stat.ictstat.survey.RefTables;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "ref",
    description = "Check the survey definitions under conf/ and load them into the ref.* tables.")
final class RefCommand extends BaseCommand {
  @Option(names = "--check-only", description = "check the definitions; write nothing")
  boolean checkOnly;

  @Option(
      names = "--dictionary",
      paramLabel = "FILE",
      description = "also write the data dictionary (Markdown) to FILE")
  Path dictionary;

  @Override
  protected int execute(Context ctx) throws Exception {
    SurveyDefinitions s = SurveyLoader.load(ctx.config().surveyDir());
    ctx.out()
        .printf(
            "survey definitions OK: %d items, %d form versions (%d-%d), %d indicators, %d domains,"
                + " %d classifiers%n",
            s.items().size(),
            s.forms().size(),
            s.firstYear(),
            s.lastYear(),
            s.indicators().size(),
            s.domains().size(),
            s.classifiers().size());
    if (dictionary != null) {
      Files.writeString(dictionary, DataDictionary.markdown(s), StandardCharsets.UTF_8);
      ctx.out().println("data dictionary written to " + dictionary);
    }
    if (checkOnly) return 0;
    var written =
        new Stage(ctx.spark(), "ref", ctx.out())
            .run(
                "load definitions",
                () -> RefTables.writeIfChanged(ctx.catalog(), s, ctx.config().surveyDir()));
    ctx.out()
        .println(
            written.isEmpty()
                ? "ref.* tables already hold these definitions"
                : "wrote " + String.join(", ", written));
    return 0;
  }
}
