package kz.stat.ictstat.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.controls.Controls;
import kz.stat.ictstat.controls.RecallCheck;
import kz.stat.ictstat.controls.RespondentReport;
import kz.stat.ictstat.controls.RuleSet;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "controls",
    description =
        "Confront core.responses with the control rules of conf/rules (all years in one pass); write"
            + " core.control_results, core.control_summary, core.control_status; print the summary.",
    subcommands = {ControlsCommand.Report.class, ControlsCommand.Recall.class})
final class ControlsCommand extends BaseCommand {
  @Option(
      names = "--years",
      paramLabel = "YEARS",
      description = "reference years, e.g. 2024 or 2004-2024 (default: the configured years)")
  String years;

  @Override
  protected Map<String, String> configOverrides() {
    Map<String, String> m = new LinkedHashMap<>();
    if (years != null) m.put("years", years);
    return m;
  }

  @Override
  protected int execute(Context ctx) {
    SurveyDefinitions survey = SurveyLoader.load(ctx.config().surveyDir());
    RuleSet rules = RuleSet.load(ctx.config().surveyDir(), survey, ctx.spark());
    var r =
        new Controls(ctx.catalog(), survey, rules, ctx.out())
            .execute(new Controls.Options(ctx.config().years()));
    var out = ctx.out();
    out.printf(
        Locale.ROOT,
        "%-5s %-6s %-12s %-8s %9s %9s %8s %8s %6s%n",
        "year",
        "rule",
        "kind",
        "severity",
        "items",
        "passes",
        "fails",
        "na",
        "errors");
    for (var s : r.summary()) {
      out.printf(
          Locale.ROOT,
          "%-5d %-6s %-12s %-8s %9d %9d %8d %8d %6d%n",
          s.year(),
          s.ruleId(),
          s.kind(),
          s.severity(),
          s.items(),
          s.passes(),
          s.fails(),
          s.na(),
          s.evalErrors());
    }
    if (!r.yearsWithoutResponses().isEmpty()) {
      out.println("years without responses (not controlled): " + r.yearsWithoutResponses());
    }
    out.printf(
        Locale.ROOT,
        "%d records of %s controlled: %d fit for estimation, %d with fatal failures%n",
        r.records(),
        r.yearsControlled(),
        r.recordsFit(),
        r.records() - r.recordsFit());
    out.printf(
        Locale.ROOT,
        "%d record x rule evaluations in %.1f s: %.0f per second%n",
        r.evaluations(),
        r.passSeconds(),
        r.evaluationsPerSecond());
    return 0;
  }

  @Command(
      name = "report",
      description =
          "List every failed control of one respondent (BIN) in one year with the rule text, for"
              + " the follow-up with the respondent.")
  static final class Report extends BaseCommand {
    @Option(names = "--year", required = true, paramLabel = "YEAR", description = "reference year")
    int year;

    @Option(names = "--bin", required = true, paramLabel = "BIN", description = "12-digit BIN")
    String bin;

    @Option(
        names = "--lang",
        paramLabel = "LANG",
        defaultValue = "ru",
        description = "language of the rule text: ru, kk or en (default: ${DEFAULT-VALUE})")
    String lang;

    @Override
    protected int execute(Context ctx) {
      SurveyDefinitions survey = SurveyLoader.load(ctx.config().surveyDir());
      RuleSet rules = RuleSet.load(ctx.config().surveyDir(), survey, ctx.spark());
      ctx.out().print(RespondentReport.build(ctx.catalog(), rules, year, bin, lang).render());
      return 0;
    }
  }

  @Command(
      name = "recall",
      description =
          "Check the controls against a log of injected errors (CSV with header"
              + " bin,year,item,error_type): recall per error type and clean records failing a"
              + " fatal rule. Exit 1 if a covered error was missed or a clean record failed.")
  static final class Recall extends BaseCommand {
    @Option(
        names = "--error-log",
        required = true,
        paramLabel = "CSV",
        description = "the injected error log of the synthetic generator")
    Path errorLog;

    @Option(
        names = "--covered",
        split = ",",
        paramLabel = "TYPE",
        description = "error types the rules must catch (default: the rules' `catches` lists)")
    Set<String> covered;

    @Override
    protected int execute(Context ctx) {
      if (!Files.exists(errorLog)) {
        throw IctstatException.missingFile(
            "error log", errorLog, "give the CSV the generator wrote with --error-log");
      }
      SurveyDefinitions survey = SurveyLoader.load(ctx.config().surveyDir());
      RuleSet rules = RuleSet.load(ctx.config().surveyDir(), survey, ctx.spark());
      var log = ctx.spark().read().option("header", "true").csv(errorLog.toString());
      for (String c : new String[] {"bin", "year", "item", "error_type"}) {
        if (!java.util.Arrays.asList(log.columns()).contains(c)) {
          throw IctstatException.usage(
              "error log " + errorLog + " has no column '" + c + "'",
              "its header must hold bin,year,item,error_type; it has "
                  + String.join(",", log.columns()));
        }
      }
      Set<String> types = new TreeSet<>();
      if (covered != null) covered.forEach(c -> types.add(RuleSet.normalise(c)));
      else types.addAll(rules.coveredErrorTypes());
      var r =
          RecallCheck.run(
              log,
              ctx.catalog().read("core.control_results"),
              ctx.catalog().read("core.control_status"),
              rules,
              types);
      ctx.out().print(r.render());
      return r.passed() ? 0 : IctstatException.RUN_FAILED;
    }
  }
}
