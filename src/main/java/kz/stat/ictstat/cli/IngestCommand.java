package kz.stat.ictstat.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import kz.stat.ictstat.ingest.Ingest;
import kz.stat.ictstat.ingest.IngestOptions;
import kz.stat.ictstat.survey.SurveyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "ingest",
    description =
        "Read the yearly registers and response files into Delta (raw.*, core.responses,"
            + " core.register); unparseable rows go to raw.quarantine, per-file counts to"
            + " raw.ingest_log.")
final class IngestCommand extends BaseCommand {
  @Option(names = "--years", paramLabel = "YEARS", description = "e.g. 2024 or 2004-2024")
  String years;

  @Option(
      names = "--input",
      paramLabel = "DIR",
      description = "folder with one sub-folder per year (default: input.dir)")
  Path input;

  @Option(
      names = "--force",
      description = "re-ingest years whose files are unchanged since their last ingest")
  boolean force;

  @Option(
      names = "--encoding",
      paramLabel = "CHARSET",
      defaultValue = "auto",
      description = "auto (BOM, else valid UTF-8, else windows-1251), utf-8 or windows-1251")
  String encoding;

  @Option(
      names = "--delimiter",
      paramLabel = "CHAR",
      defaultValue = "auto",
      description = "auto (from the header line), ';', ',' or tab")
  String delimiter;

  @Option(
      names = "--decimal",
      paramLabel = "SEP",
      defaultValue = "auto",
      description = "auto ('.', and also ',' in ';' files), dot or comma")
  String decimal;

  @Override
  protected Map<String, String> configOverrides() {
    Map<String, String> m = new LinkedHashMap<>();
    if (years != null) m.put("years", years);
    if (input != null) m.put("input.dir", input.toString());
    return m;
  }

  @Override
  protected int execute(Context ctx) {
    IngestOptions options =
        new IngestOptions(
            ctx.config().inputDir(),
            ctx.config().years(),
            force,
            IngestOptions.parseEncoding(encoding),
            IngestOptions.parseDelimiter(delimiter),
            IngestOptions.Decimal.parse(decimal));
    Ingest.checkOptions(options);
    var survey = SurveyLoader.load(ctx.config().surveyDir());
    new Ingest(ctx.spark(), ctx.catalog(), survey, options, ctx.out()).execute();
    return 0;
  }
}
