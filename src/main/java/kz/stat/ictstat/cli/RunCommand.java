package kz.stat.ictstat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.config.JobConfig;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.consistency.Consistency;
import kz.stat.ictstat.controls.Controls;
import kz.stat.ictstat.controls.RuleSet;
import kz.stat.ictstat.estimation.Estimation;
import kz.stat.ictstat.ingest.Ingest;
import kz.stat.ictstat.ingest.IngestOptions;
import kz.stat.ictstat.publication.Publisher;
import kz.stat.ictstat.research.Research;
import kz.stat.ictstat.sampling.Sampler;
import kz.stat.ictstat.spark.Stage;
import kz.stat.ictstat.survey.RefTables;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import kz.stat.ictstat.synthetic.Generator;
import kz.stat.ictstat.synthetic.SyntheticModel;
import kz.stat.ictstat.weighting.Calibration;
import kz.stat.ictstat.weighting.Weighting;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole annual cycle for a range of years, stage after stage (two pairs of independent stages
 * side by side: the ref tables with the generator, the research microdata with the consistency
 * checks), then the headline table.
 */
@Command(
    name = "run",
    description =
        "Run the whole cycle for a range of years: synthetic data, ingest, sample, controls,"
            + " weights and estimates, consistency, publication; ends with the headline indicators"
            + " next to the published figures.")
final class RunCommand extends BaseCommand {
  @picocli.CommandLine.Mixin PopulationOptions population = new PopulationOptions();

  @Option(
      names = "--no-generate",
      description =
          "use the files already in input.dir (e.g. the Bureau's own) instead of"
              + " generating the synthetic population")
  boolean noGenerate;

  @Override
  protected Map<String, String> configOverrides() {
    Map<String, String> m = new LinkedHashMap<>();
    population.addTo(m);
    return m;
  }

  @Override
  protected int execute(Context ctx) {
    long t0 = System.nanoTime();
    JobConfig c = ctx.config();
    YearRange yr = c.years();
    var out = ctx.out();
    out.printf(Locale.ROOT, "ictstat run %s: warehouse %s%n", yr, abs(c.warehouse()));
    SurveyDefinitions survey = SurveyLoader.load(c.surveyDir());
    Map<String, Double> seconds = new LinkedHashMap<>();

    Runnable definitions =
        () ->
            new Stage(ctx.spark(), "ref", out)
                .run(
                    "ref.* tables",
                    () -> RefTables.writeIfChanged(ctx.catalog(), survey, c.surveyDir()));
    if (noGenerate) {
      timed(seconds, "definitions", definitions);
    } else {
      Runnable generate =
          () -> {
            SyntheticModel model = SyntheticModel.load(c.surveyDir().resolve("synthetic.yaml"));
            new Generator(
                    survey,
                    model,
                    new Generator.Options(
                        c.inputDir(),
                        Generator.Options.defaultTruthDir(c.inputDir()),
                        yr,
                        c.seed(),
                        c.scale()),
                    ctx.spark(),
                    out)
                .execute();
          };
      // No stage reads the ref tables (they are for analysts): their writes, mostly the driver's
      // planning and Delta commits, run while the generator computes the population in Java.
      sideBySide(seconds, "definitions", definitions, "generate", generate);
    }

    timed(
        seconds,
        "ingest",
        () -> {
          IngestOptions options = IngestOptions.detect(c.inputDir(), yr);
          Ingest.checkOptions(options);
          new Ingest(ctx.spark(), ctx.catalog(), survey, options, out).execute();
        });

    timed(seconds, "sample", () -> new Sampler(survey, c.seed()).execute(ctx.catalog(), yr, out));

    timed(
        seconds,
        "controls",
        () -> {
          RuleSet rules = RuleSet.load(c.surveyDir(), survey, ctx.spark());
          var r = new Controls(ctx.catalog(), survey, rules, out).execute(new Controls.Options(yr));
          out.printf(
              Locale.ROOT,
              "  controls   %d records: %d fit for estimation, %d with fatal failures%n",
              r.records(),
              r.recordsFit(),
              r.records() - r.recordsFit());
        });

    Estimation est = new Estimation(ctx.catalog(), survey, out);
    timed(
        seconds,
        "weights and estimates",
        () -> {
          new Weighting(ctx.catalog(), out, survey)
              .execute(
                  new Weighting.Options(
                      yr,
                      survey.design().lonelyStrata(),
                      List.of(),
                      Calibration.load(c.surveyDir())));
          est.execute(yr);
        });

    // Nothing later reads research.microdata: it is written while the consistency checks run.
    sideBySide(
        seconds,
        "research microdata",
        () ->
            new Stage(ctx.spark(), "research", out)
                .run(
                    "research.microdata (de-identified)",
                    () -> Research.write(ctx.catalog(), survey, yr)),
        "consistency",
        () ->
            new Consistency(ctx.catalog(), survey, c.surveyDir(), out)
                .execute(new Consistency.Options(yr, true)));

    var published = new AtomicReference<Publisher.Result>();
    timed(
        seconds,
        "publication",
        () ->
            published.set(
                new Publisher(ctx.catalog(), survey, c.surveyDir(), out)
                    .execute(yr.last(), c.outputDir())));

    est.printHeadline(yr.last());
    printPublishedComparison(ctx, c, yr.last());
    double total = (System.nanoTime() - t0) / 1e9;
    out.println();
    out.println("Stage timings:");
    seconds.forEach((k, v) -> out.printf(Locale.ROOT, "  %-34s %7.1f s%n", k, v));
    out.printf(Locale.ROOT, "  %-34s %7.1f s%n", "total", total);
    writeTimings(c.outputDir().resolve("run-timings.csv"), yr, c, seconds, total);
    var p = published.get();
    out.printf(
        Locale.ROOT,
        "%nPublication %d, release %s: %d cells, %d primary + %d secondary suppressions,"
            + " %d disclosive after the audit%n",
        p.year(),
        p.tag(),
        p.cells(),
        p.primary(),
        p.secondary(),
        p.disclosive());
    out.printf(
        Locale.ROOT, "  XLSX tables, SDMX-CSV, charts, quality report: %s%n", abs(p.folder()));
    out.printf(
        Locale.ROOT,
        "Tables: %s (bin/ictstat tables; bin/ictstat sql -e \"SELECT ...\")%n",
        abs(c.warehouse()));
    return 0;
  }

  /** Prints the estimates next to the figures the Bureau published (conf/published_figures.csv). */
  private static void printPublishedComparison(Context ctx, JobConfig c, int year) {
    Path file = c.surveyDir().resolve("published_figures.csv");
    if (!Files.exists(file)) return;
    List<String[]> figures = new ArrayList<>();
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",", -1);
        if (f.length >= 6 && Integer.parseInt(f[0]) == year) figures.add(f);
      }
    } catch (IOException e) {
      throw IctstatException.runFailed(
          "cannot read " + file + ": " + e.getMessage(), "check the file");
    }
    if (figures.isEmpty()) return;
    Map<String, Row> est = new LinkedHashMap<>();
    for (Row r :
        ctx.catalog()
            .read(Estimation.ESTIMATES)
            .where("year = " + year + " AND domain_type = 'total'")
            .collectAsList()) {
      est.put(r.getAs("indicator"), r);
    }
    var out = ctx.out();
    // a population of `scale` times the real one has `scale` times its counts and totals
    double scale = c.scale();
    out.printf(Locale.ROOT, "%nEstimates %d next to the Bureau's published figures%n", year);
    if (scale != 1.0) {
      out.printf(
          Locale.ROOT,
          "(population at scale %1$s: counts and totals are compared with the published figure"
              + " × %1$s; shares as published)%n",
          scale);
    }
    out.printf(
        Locale.ROOT,
        "%-38s %16s %8s %16s %16s%n",
        "indicator",
        "estimate",
        "rse %",
        "published",
        "difference");
    for (String[] f : figures) {
      Row r = est.get(f[1]);
      double published = Double.parseDouble(f[4]);
      if (r == null) {
        out.printf(Locale.ROOT, "%-38s %16s %8s %16s%n", f[1], "-", "-", fmt(published));
        continue;
      }
      double e = r.<Double>getAs("estimate");
      Double rse = r.getAs("rse");
      boolean percent = f[5].equals("percent");
      double expected = percent ? published : published * scale;
      out.printf(
          Locale.ROOT,
          "%-38s %16s %8s %16s %16s%n",
          f[1],
          fmt(e),
          rse == null ? "-" : String.format(Locale.ROOT, "%.2f", rse),
          fmt(published),
          (percent
              ? String.format(Locale.ROOT, "%+.2f pt", e - expected)
              : String.format(Locale.ROOT, "%+.2f %%", 100 * (e - expected) / expected)));
    }
  }

  private static String fmt(double v) {
    return Math.abs(v) >= 1000
        ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }

  /** The stage timings as CSV (stage, seconds), for the benchmark scripts and the operator. */
  private static void writeTimings(
      Path file, YearRange yr, JobConfig c, Map<String, Double> seconds, double total) {
    StringBuilder b = new StringBuilder("years,scale,stage,seconds\n");
    Map<String, Double> all = new LinkedHashMap<>(seconds);
    all.put("total", total);
    all.forEach(
        (k, v) -> b.append(String.format(Locale.ROOT, "%s,%s,%s,%.3f%n", yr, c.scale(), k, v)));
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw IctstatException.runFailed(
          "cannot write " + file + ": " + e.getMessage(), "check that output.dir is writable");
    }
  }

  private static void timed(Map<String, Double> seconds, String name, Runnable r) {
    seconds.put(name, seconds(r));
  }

  /**
   * Two independent stages at the same time (the driver's planning and commits of one overlap the
   * other's work); each keeps its own time, named "(side by side)" as they overlap.
   */
  private static void sideBySide(
      Map<String, Double> seconds, String first, Runnable a, String second, Runnable b) {
    double[] s = new double[2];
    Stage.concurrently(List.of(() -> s[0] = seconds(a), () -> s[1] = seconds(b)));
    seconds.put(first + " (side by side)", s[0]);
    seconds.put(second + " (side by side)", s[1]);
  }

  private static double seconds(Runnable r) {
    long t = System.nanoTime();
    r.run();
    return (System.nanoTime() - t) / 1e9;
  }

  private static Path abs(Path p) {
    return p.toAbsolutePath().normalize();
  }
}
