package kz.stat.ictstat.cli;

import kz.stat.ictstat.publication.Publisher;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "publish",
    description =
        "Disclosure control and audit of a reference year, then a release folder under"
            + " <output.dir>/releases/<year>/<tag>/ with the XLSX tables (kk, ru, en), SDMX-CSV,"
            + " charts and the quality report; records the release in pub.releases.")
final class PublishCommand extends BaseCommand {
  @Option(names = "--year", required = true, paramLabel = "YEAR", description = "e.g. 2024")
  int year;

  @Override
  protected int execute(Context ctx) {
    SurveyDefinitions survey = SurveyLoader.load(ctx.config().surveyDir());
    Publisher.Result r =
        new Publisher(ctx.catalog(), survey, ctx.config().surveyDir(), ctx.out())
            .execute(year, ctx.config().outputDir());
    ctx.out()
        .printf(
            "  release %s (revision %d) of %d: %d cells, %d primary + %d secondary suppressions,"
                + " %d flagged u, %d disclosive cells after audit; %d cells revised%n"
                + "  read pub.estimates v%d, wrote pub.published v%d%n  written to %s%n",
            r.tag(),
            r.revision(),
            r.year(),
            r.cells(),
            r.primary(),
            r.secondary(),
            r.unreliable(),
            r.disclosive(),
            r.revisedCells(),
            r.estimatesVersion(),
            r.publishedVersion(),
            r.folder().toAbsolutePath());
    return 0;
  }
}
