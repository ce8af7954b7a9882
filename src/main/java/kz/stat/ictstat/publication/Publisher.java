package kz.stat.ictstat.publication;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.disclosure.Disclosure;
import kz.stat.ictstat.disclosure.DisclosureRules;
import kz.stat.ictstat.disclosure.TopContributions;
import kz.stat.ictstat.estimation.Estimation;
import kz.stat.ictstat.estimation.EstimationQuery;
import kz.stat.ictstat.spark.Stage;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.survey.Domain;
import kz.stat.ictstat.survey.FormVersion;
import kz.stat.ictstat.survey.Indicator;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.weighting.Weighting;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One publication run of a reference year: disclosure control and audit ({@link Disclosure}),
 * {@code pub.published} for the year, and an immutable release folder {@code
 * <output.dir>/releases/<year>/<tag>/} with the electronic tables (XLSX), SDMX-CSV, charts and the
 * quality report. Each run appends to {@code pub.releases} the Delta versions it read ({@code
 * pub.estimates}) and wrote ({@code pub.published}); republishing a year makes a new tag (revision
 * n+1) with the revisions against the previous release, never overwriting a folder.
 */
public final class Publisher {
  public static final String PUBLISHED = "pub.published";
  public static final String RELEASES = "pub.releases";

  static final StructType RELEASE_SCHEMA =
      new StructType()
          .add("year", DataTypes.IntegerType, false)
          .add("release_tag", DataTypes.StringType, false)
          .add("revision", DataTypes.IntegerType, false)
          .add("previous_tag", DataTypes.StringType, true)
          .add("created_at", DataTypes.TimestampType, false)
          .add("estimates_version", DataTypes.LongType, false)
          .add("published_version", DataTypes.LongType, false)
          .add("folder", DataTypes.StringType, false)
          .add("cells", DataTypes.LongType, false)
          .add("primary_suppressed", DataTypes.LongType, false)
          .add("secondary_suppressed", DataTypes.LongType, false)
          .add("unreliable", DataTypes.LongType, false)
          .add("revised_cells", DataTypes.LongType, false);

  /** What one publication run did. */
  public record Result(
      int year,
      String tag,
      int revision,
      Path folder,
      long cells,
      long primary,
      long secondary,
      long unreliable,
      long disclosive,
      long estimatesVersion,
      long publishedVersion,
      long revisedCells) {}

  private final TableCatalog catalog;
  private final SurveyDefinitions survey;
  private final Path surveyDir;
  private final PrintStream out;

  public Publisher(
      TableCatalog catalog, SurveyDefinitions survey, Path surveyDir, PrintStream out) {
    this.catalog = catalog;
    this.survey = survey;
    this.surveyDir = surveyDir;
    this.out = out;
  }

  public Result execute(int year, Path outputDir) {
    DisclosureRules rules = DisclosureRules.load(surveyDir);
    PublicationLabels labels = PublicationLabels.load(surveyDir, survey);
    SdmxCsv sdmx = SdmxCsv.load(surveyDir);
    if (!catalog.exists(Estimation.ESTIMATES)) {
      throw IctstatException.usage(
          "no " + Estimation.ESTIMATES + " in " + catalog.warehouse(),
          "run `ictstat estimate --years " + year + "` first");
    }
    long estVersion = version(Estimation.ESTIMATES);
    Dataset<Row> est =
        catalog
            .spark()
            .read()
            .format("delta")
            .option("versionAsOf", estVersion)
            .load(catalog.location(Estimation.ESTIMATES));
    if (est.where(col("year").equalTo(year)).limit(1).count() == 0) {
      throw IctstatException.usage(
          "pub.estimates has no rows for year " + year,
          "run `ictstat estimate --years " + year + "` first");
    }
    Stage stage = new Stage(catalog.spark(), "publish", out);
    Disclosure disclosure = new Disclosure(catalog.spark(), survey, rules);
    Disclosure.Result dr =
        stage.run("disclosure control " + year, () -> disclosure.execute(catalog, year, out, est));
    List<PubCell> yearCells = dr.cells().stream().map(PubCell::of).toList();
    List<PubCell> series =
        stage.run("national series", () -> nationalSeries(disclosure, est, year, yearCells));

    // previous release and tag
    Row prev = previousRelease(year);
    int revision = prev == null ? 1 : prev.<Integer>getAs("revision") + 1;
    String tag = String.format(java.util.Locale.ROOT, "%d-r%02d", year, revision);
    Path folder = outputDir.resolve("releases").resolve(String.valueOf(year)).resolve(tag);
    if (Files.exists(folder)) {
      throw IctstatException.runFailed(
          "release folder " + folder + " already exists but pub.releases does not record it",
          "move the folder away (releases are never overwritten) and rerun `ictstat publish`");
    }
    long revised = 0;
    List<String[]> revisions = new ArrayList<>();
    if (prev != null) {
      long pv = prev.getAs("published_version");
      List<Row> old =
          catalog
              .spark()
              .read()
              .format("delta")
              .option("versionAsOf", pv)
              .load(catalog.location(PUBLISHED))
              .where(col("year").equalTo(year))
              .select("indicator", "domain_type", "domain_code", "estimate", "flags")
              .collectAsList();
      Map<String, Row> oldByKey = new HashMap<>();
      for (Row r : old) {
        oldByKey.put(
            r.getAs("indicator") + "/" + r.getAs("domain_type") + "/" + r.getAs("domain_code"), r);
      }
      for (PubCell c : yearCells) {
        Row o = oldByKey.get(c.indicator() + "/" + c.domainType() + "/" + c.domainCode());
        Double before = o == null ? null : o.getAs("estimate");
        if (!java.util.Objects.equals(before, c.estimate())) {
          revised++;
          if (EstimationQuery.TOTAL_CODE.equals(c.domainCode())) {
            revisions.add(
                new String[] {c.indicator(), String.valueOf(before), String.valueOf(c.estimate())});
          }
        }
      }
    }

    stage.run(
        "write " + PUBLISHED + " " + year,
        () ->
            catalog.replaceWhere(
                PUBLISHED, disclosure.toDataFrame(dr.cells()), "year = " + year, "year"));
    long pubVersion = version(PUBLISHED);

    List<Indicator> headline =
        survey.indicators().stream().filter(i -> i.headline() && i.availableIn(year)).toList();
    String lang = "en";
    try {
      Files.createDirectories(folder);
      XlsxTables.write(
          folder.resolve("ictstat_" + year + ".xlsx"),
          year,
          headline,
          survey.domains(),
          yearCells,
          series,
          labels);
      List<PubCell> sdmxCells = new ArrayList<>(yearCells);
      for (PubCell c : series) if (c.year() != year) sdmxCells.add(c);
      sdmx.write(
          folder.resolve("ictstat_" + year + "_sdmx.csv"),
          sdmxCells,
          survey.indicators(),
          survey.domains());
      Map<Integer, String> breaks = breaks(rules, year);
      Path charts = folder.resolve("charts");
      List<Path> pngs = new ArrayList<>();
      for (Indicator ind : headline) {
        if (series.stream()
            .noneMatch(c -> c.indicator().equals(ind.id()) && c.estimate() != null)) {
          continue;
        }
        pngs.add(
            Charts.series(
                charts,
                ind,
                series.stream().filter(c -> c.indicator().equals(ind.id())).toList(),
                breaks,
                lang));
      }
      String regionType =
          survey.domains().stream()
              .filter(d -> d.by().equals(List.of("region")))
              .map(Domain::id)
              .findFirst()
              .orElse(null);
      if (regionType != null) {
        for (Indicator ind : headline) {
          if (!ind.kind().isRatio()) continue;
          pngs.add(
              Charts.regions(
                  charts,
                  ind,
                  yearCells.stream()
                      .filter(
                          c -> c.indicator().equals(ind.id()) && c.domainType().equals(regionType))
                      .toList(),
                  labels,
                  lang));
        }
      }
      QualityReport q =
          new QualityReport(
              year,
              tag,
              headline,
              yearCells,
              dr,
              pngs.stream().map(p -> folder.relativize(p).toString()).toList(),
              unitNonResponse(year),
              itemNonResponse(year),
              controlFailures(year),
              revisions,
              revised,
              prev == null ? null : prev.getAs("release_tag"),
              labels);
      Files.writeString(
          folder.resolve("quality_report_" + year + ".md"), q.markdown(), StandardCharsets.UTF_8);
      Files.writeString(
          folder.resolve("quality_report_" + year + ".html"), q.html(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw IctstatException.runFailed(
          "cannot write the release folder " + folder + ": " + e.getMessage(),
          "check that " + outputDir + " is writable");
    }
    Row rel =
        RowFactory.create(
            year,
            tag,
            revision,
            prev == null ? null : prev.getAs("release_tag"),
            Timestamp.from(Instant.now()),
            estVersion,
            pubVersion,
            folder.toAbsolutePath().toString(),
            (long) dr.cells().size(),
            dr.primary(),
            dr.secondary(),
            dr.unreliable(),
            revised);
    stage.run(
        "record release " + tag,
        () ->
            catalog.append(
                RELEASES, catalog.spark().createDataFrame(List.of(rel), RELEASE_SCHEMA)));
    return new Result(
        year,
        tag,
        revision,
        folder,
        dr.cells().size(),
        dr.primary(),
        dr.secondary(),
        dr.unreliable(),
        dr.leaks(),
        estVersion,
        pubVersion,
        revised);
  }

  /** The national cells of every year up to {@code year}: the full run for the year itself. */
  private List<PubCell> nationalSeries(
      Disclosure disclosure, Dataset<Row> est, int year, List<PubCell> yearCells) {
    Domain total = survey.domains().stream().filter(d -> d.by().isEmpty()).findFirst().orElse(null);
    List<PubCell> out = new ArrayList<>();
    if (total == null) return out;
    List<Indicator> magnitude =
        survey.indicators().stream().filter(i -> i.kind() == Indicator.Kind.TOTAL).toList();
    Dataset<Row> national =
        est.where(col("domain_type").equalTo(total.id()).and(col("year").lt(year)));
    Dataset<Row> top = null;
    if (!magnitude.isEmpty() && year > survey.firstYear() && catalog.exists(Weighting.WEIGHTS)) {
      Set<String> items = new LinkedHashSet<>();
      for (Indicator i : magnitude) items.addAll(i.items());
      items.removeAll(Domain.VARIABLES);
      Set<String> present = Set.of(catalog.read(Weighting.RESPONSES).columns());
      List<Column> cols = new ArrayList<>(List.of(col("year"), col("bin")));
      for (String it : items) if (present.contains(it)) cols.add(col(it));
      List<Indicator> usable =
          magnitude.stream().filter(i -> present.containsAll(itemsOf(i))).toList();
      if (!usable.isEmpty()) {
        Dataset<Row> units =
            catalog
                .read(Weighting.WEIGHTS)
                .where(col("year").lt(year))
                .join(
                    catalog
                        .read(Weighting.RESPONSES)
                        .where(col("year").lt(year))
                        .select(cols.toArray(new Column[0])),
                    new String[] {"year", "bin"},
                    "inner");
        top = TopContributions.compute(catalog.spark(), units, usable, List.of(total));
      }
    }
    for (Disclosure.Result r : disclosure.protectEach(national, top))
      for (Row c : r.cells()) out.add(PubCell.of(c));
    for (PubCell c : yearCells) if (c.domainType().equals(total.id())) out.add(c);
    return out;
  }

  private static Set<String> itemsOf(Indicator i) {
    Set<String> s = new LinkedHashSet<>(i.items());
    s.removeAll(Domain.VARIABLES);
    return s;
  }

  /** Break years up to {@code year}: the first year of each later form version, KATO reforms. */
  Map<Integer, String> breaks(DisclosureRules rules, int year) {
    Map<Integer, String> b = new TreeMap<>();
    int first = survey.firstYear();
    for (FormVersion f : survey.forms()) {
      if (f.years().first() != first && f.years().first() <= year)
        b.put(f.years().first(), "form " + f.version());
    }
    for (int y : rules.katoReforms()) {
      if (y <= year) b.merge(y, "KATO", (a, c) -> a + ", " + c);
    }
    return b;
  }

  private long version(String table) {
    return DeltaTable.forPath(catalog.spark(), catalog.location(table))
        .history(1)
        .select("version")
        .head()
        .getLong(0);
  }

  private Row previousRelease(int year) {
    if (!catalog.exists(RELEASES)) return null;
    List<Row> r =
        catalog
            .read(RELEASES)
            .where(col("year").equalTo(year))
            .orderBy(col("revision").desc())
            .limit(1)
            .collectAsList();
    return r.isEmpty() ? null : r.get(0);
  }

  /** A4: unit non-response, unweighted and weighted by N_h / n_h, from core.design. */
  private double[] unitNonResponse(int year) {
    if (!catalog.exists(Weighting.DESIGN)) return null;
    Row r =
        catalog
            .read(Weighting.DESIGN)
            .where(col("year").equalTo(year))
            .selectExpr(
                "sum(sample_units) AS n",
                "sum(resp_units) AS r",
                "sum(CASE WHEN sample_units > 0 THEN frame_units END) AS N",
                "sum(CASE WHEN sample_units > 0 THEN frame_units * resp_units / sample_units END) AS R")
            .head();
    if (r.isNullAt(0) || r.getLong(0) == 0) return null;
    double unweighted = 1 - (double) r.getLong(1) / r.getLong(0);
    double weighted = r.isNullAt(2) ? Double.NaN : 1 - r.getDouble(3) / r.getLong(2);
    return new double[] {unweighted, weighted, r.getLong(0), r.getLong(1)};
  }

  /** A5: share of blank answers per item of the year's form among the respondents used. */
  private Map<String, Double> itemNonResponse(int year) {
    Map<String, Double> m = new LinkedHashMap<>();
    if (!catalog.exists(Weighting.RESPONSES)) return m;
    FormVersion form = survey.findForm(year).orElse(null);
    if (form == null) return m;
    Dataset<Row> resp = catalog.read(Weighting.RESPONSES).where(col("year").equalTo(year));
    if (catalog.exists(Weighting.WEIGHTS)) {
      resp =
          resp.join(
              catalog
                  .read(Weighting.WEIGHTS)
                  .where(col("year").equalTo(year))
                  .select("year", "bin"),
              new String[] {"year", "bin"},
              "left_semi");
    }
    Set<String> present = Set.of(resp.columns());
    List<String> items = new ArrayList<>();
    for (String it : new LinkedHashSet<>(form.columns().values())) {
      if (present.contains(it) && survey.contentItems().stream().anyMatch(x -> x.id().equals(it)))
        items.add(it);
    }
    if (items.isEmpty()) return m;
    List<Column> aggs = new ArrayList<>();
    for (String it : items)
      aggs.add(org.apache.spark.sql.functions.avg(col(it).isNull().cast("double")).as(it));
    Row r = resp.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).head();
    for (int i = 0; i < items.size(); i++)
      m.put(items.get(i), r.isNullAt(i) ? null : r.getDouble(i));
    return m;
  }

  /** Control failure rates per rule, if the controls stage ran: most failures first. */
  private List<Row> controlFailures(int year) {
    if (!catalog.exists("core.control_summary")) return List.of();
    Dataset<Row> s = catalog.read("core.control_summary");
    if (List.of(s.columns()).contains("year")) s = s.where(col("year").equalTo(year));
    return s.orderBy(col("fails").desc(), col("rule_id")).limit(200).collectAsList();
  }
}
