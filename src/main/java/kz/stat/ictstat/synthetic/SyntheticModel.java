package kz.stat.ictstat.synthetic;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.config.YearRange;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The parameters of the synthetic population, read from {@code conf/synthetic.yaml}. */
public record SyntheticModel(
    NavigableMap<Integer, Double> inScopeActive,
    int firstBirthYear,
    double empMu,
    double empSigma,
    double empPersistence,
    Map<String, Double> empSectionShift,
    Map<String, Double> deathRate,
    double deactivationRate,
    double reactivationRate,
    double inactiveRemovalRate,
    double activityChangeRate,
    double regionMoveRate,
    Map<String, Double> sectionWeights,
    Map<String, Double> regionWeights,
    Map<String, Double> districtWeights,
    Map<String, Map<String, Double>> districtWeightsByRegion,
    List<Ownership> ownership,
    Map<String, Double> regionEffects,
    Map<String, Double> sectionEffects,
    List<Feature> features,
    Map<String, Map<String, Double>> components,
    Counts computers,
    Costs costs,
    List<FileFormat> formats,
    Map<String, Double> errors) {

  /** A kind of owner: its probability, KFS codes (drawn uniformly) and KSE sector. */
  public record Ownership(
      String name, double share, List<String> kfs, String kse, String kseLarge) {}

  /** A target share (percent) among units of the given size classes and sections (empty = all). */
  public record Anchor(double share, List<String> sizeClasses, List<String> sections) {}

  /** A binary item (or latent trait) of the adoption model. */
  public record Feature(
      String id,
      Integer since,
      String eligible,
      double emp,
      double noise,
      Map<String, Double> sections,
      NavigableMap<Integer, Anchor> anchors) {}

  public record Counts(
      double elasticity,
      double sigma,
      NavigableMap<Integer, Double> totals,
      double internetStart,
      double internetPerYear,
      double usingStart,
      double usingPerYear,
      double specialistsPerEmployee,
      Map<String, Double> specialistsSectionFactor) {}

  public record Costs(
      double elasticity,
      double sigma,
      NavigableMap<Integer, Double> totals,
      Map<String, Double> componentShares,
      double componentSigma) {}

  /** How one year's response files are written. */
  public record FileFormat(
      YearRange years,
      String encoding,
      char delimiter,
      char decimal,
      String lineEnding,
      boolean splitByRegion) {}

  public static SyntheticModel load(Path file) {
    if (!Files.exists(file)) {
      throw IctstatException.missingFile(
          "synthetic population model", file, "set survey.dir to the folder with synthetic.yaml");
    }
    Map<String, Object> root;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
    } catch (IOException e) {
      throw IctstatException.usage("cannot read " + file + ": " + e.getMessage(), null);
    }
    try {
      return parse(root);
    } catch (RuntimeException e) {
      if (e instanceof IctstatException ie) throw ie;
      throw IctstatException.usage(
          file + " is invalid: " + e.getMessage(), "compare it with docs/synthetic-data.md");
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o, String where) {
    if (!(o instanceof Map<?, ?> raw)) {
      throw new IllegalArgumentException("'" + where + "' must be a map");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    raw.forEach((k, v) -> m.put(String.valueOf(k), v));
    return m;
  }

  static double num(Object o, String where) {
    if (!(o instanceof Number n)) {
      throw new IllegalArgumentException("'" + where + "' must be a number, got " + o);
    }
    return n.doubleValue();
  }

  static Map<String, Double> doubles(Object o, String where) {
    Map<String, Double> m = new LinkedHashMap<>();
    if (o == null) return m;
    map(o, where).forEach((k, v) -> m.put(String.valueOf(k), num(v, where + "." + k)));
    return m;
  }

  static NavigableMap<Integer, Double> byYear(Object o, String where) {
    NavigableMap<Integer, Double> m = new TreeMap<>();
    map(o, where).forEach((k, v) -> m.put(Integer.parseInt(String.valueOf(k)), num(v, where)));
    return m;
  }

  static Map<String, Map<String, Double>> byRegion(Object o) {
    Map<String, Map<String, Double>> m = new LinkedHashMap<>();
    if (o == null) return m;
    map(o, "district_weights_by_region")
        .forEach((k, v) -> m.put(k, doubles(v, "district_weights_by_region." + k)));
    return m;
  }

  @SuppressWarnings("unchecked")
  static List<String> strings(Object o) {
    List<String> l = new ArrayList<>();
    if (o instanceof List<?> list) for (Object x : list) l.add(String.valueOf(x));
    return l;
  }

  @SuppressWarnings("unchecked")
  private static SyntheticModel parse(Map<String, Object> root) {
    Map<String, Object> pop = map(root.get("population"), "population");
    Map<String, Object> emp = map(pop.get("employees"), "population.employees");
    List<Ownership> owners = new ArrayList<>();
    map(pop.get("ownership"), "population.ownership")
        .forEach(
            (k, v) -> {
              Map<String, Object> o = map(v, "population.ownership." + k);
              owners.add(
                  new Ownership(
                      k,
                      num(o.get("share"), k + ".share"),
                      strings(o.get("kfs")),
                      String.valueOf(o.get("kse")),
                      o.get("kse_large") == null ? null : String.valueOf(o.get("kse_large"))));
            });
    List<Feature> features = new ArrayList<>();
    for (Object fo : (List<Object>) root.get("features")) {
      Map<String, Object> f = map(fo, "features[]");
      String id = String.valueOf(f.get("id"));
      NavigableMap<Integer, Anchor> anchors = new TreeMap<>();
      map(f.get("anchors"), id + ".anchors")
          .forEach(
              (k, v) -> {
                int y = Integer.parseInt(String.valueOf(k));
                if (v instanceof Map<?, ?>) {
                  Map<String, Object> a = map(v, id + ".anchors." + y);
                  anchors.put(
                      y,
                      new Anchor(
                          num(a.get("share"), id + ".anchors." + y),
                          strings(a.get("size_class")),
                          strings(a.get("section"))));
                } else {
                  anchors.put(y, new Anchor(num(v, id + ".anchors." + y), List.of(), List.of()));
                }
              });
      features.add(
          new Feature(
              id,
              f.get("since") == null ? null : ((Number) f.get("since")).intValue(),
              f.get("eligible") == null ? null : String.valueOf(f.get("eligible")),
              num(f.getOrDefault("emp", 0.0), id + ".emp"),
              num(f.getOrDefault("noise", 0.3), id + ".noise"),
              doubles(f.get("sections"), id + ".sections"),
              anchors));
    }
    Map<String, Map<String, Double>> components = new LinkedHashMap<>();
    map(root.get("components"), "components")
        .forEach((k, v) -> components.put(k, doubles(v, "components." + k)));
    Map<String, Object> pc = map(root.get("computers"), "computers");
    Map<String, Object> inet = map(pc.get("internet_share"), "computers.internet_share");
    Map<String, Object> using = map(pc.get("employees_using_share"), "computers.employees_using");
    Counts counts =
        new Counts(
            num(pc.get("elasticity"), "computers.elasticity"),
            num(pc.get("sigma"), "computers.sigma"),
            byYear(pc.get("totals"), "computers.totals"),
            num(inet.get("start"), "internet_share.start"),
            num(inet.get("per_year"), "internet_share.per_year"),
            num(using.get("start"), "employees_using_share.start"),
            num(using.get("per_year"), "employees_using_share.per_year"),
            num(pc.get("ict_specialists_per_employee"), "ict_specialists_per_employee"),
            doubles(pc.get("ict_specialists_section_factor"), "ict_specialists_section_factor"));
    Map<String, Object> c = map(root.get("costs"), "costs");
    Costs costs =
        new Costs(
            num(c.get("elasticity"), "costs.elasticity"),
            num(c.get("sigma"), "costs.sigma"),
            byYear(c.get("totals"), "costs.totals"),
            doubles(c.get("component_shares"), "costs.component_shares"),
            num(c.get("component_sigma"), "costs.component_sigma"));
    List<FileFormat> formats = new ArrayList<>();
    for (Object fo : (List<Object>) root.get("formats")) {
      Map<String, Object> f = map(fo, "formats[]");
      char delim = String.valueOf(f.get("delimiter")).charAt(0);
      char dec = String.valueOf(f.get("decimal")).charAt(0);
      if (dec == ',' && delim != ';') {
        throw new IllegalArgumentException(
            "formats " + f.get("years") + ": a decimal comma needs the ';' delimiter");
      }
      formats.add(
          new FileFormat(
              YearRange.parse(String.valueOf(f.get("years"))),
              String.valueOf(f.get("encoding")),
              delim,
              dec,
              String.valueOf(f.getOrDefault("line_ending", "lf")),
              Boolean.TRUE.equals(f.get("split_by_region"))));
    }
    return new SyntheticModel(
        byYear(pop.get("in_scope_active"), "population.in_scope_active"),
        ((Number) pop.get("first_birth_year")).intValue(),
        num(emp.get("mu"), "employees.mu"),
        num(emp.get("sigma"), "employees.sigma"),
        num(emp.get("persistence"), "employees.persistence"),
        doubles(pop.get("employees_section_shift"), "employees_section_shift"),
        doubles(pop.get("death_rate"), "death_rate"),
        num(pop.get("deactivation_rate"), "deactivation_rate"),
        num(pop.get("reactivation_rate"), "reactivation_rate"),
        num(pop.get("inactive_removal_rate"), "inactive_removal_rate"),
        num(pop.get("activity_change_rate"), "activity_change_rate"),
        num(pop.get("region_move_rate"), "region_move_rate"),
        doubles(pop.get("section_weights"), "section_weights"),
        doubles(pop.get("region_weights"), "region_weights"),
        doubles(pop.get("district_weights"), "district_weights"),
        byRegion(pop.get("district_weights_by_region")),
        owners,
        doubles(root.get("region_effects"), "region_effects"),
        doubles(root.get("section_effects"), "section_effects"),
        features,
        components,
        counts,
        costs,
        formats,
        doubles(root.get("errors"), "errors"));
  }

  /** The file format of a year. */
  public FileFormat formatFor(int year) {
    for (FileFormat f : formats) if (f.years().contains(year)) return f;
    throw IctstatException.usage(
        "conf/synthetic.yaml has no response file format for " + year,
        "add a `formats` entry whose years cover " + year);
  }

  /** Linear interpolation in a year map; flat outside its range. */
  static double linear(NavigableMap<Integer, Double> m, int year) {
    var lo = m.floorEntry(year);
    var hi = m.ceilingEntry(year);
    if (lo == null) return hi.getValue();
    if (hi == null) return lo.getValue();
    if (lo.getKey().equals(hi.getKey())) return lo.getValue();
    double w = (year - lo.getKey()) / (double) (hi.getKey() - lo.getKey());
    return lo.getValue() + w * (hi.getValue() - lo.getValue());
  }

  /** Log-linear interpolation (constant growth rate between anchors); flat outside. */
  static double logLinear(NavigableMap<Integer, Double> m, int year) {
    var lo = m.floorEntry(year);
    var hi = m.ceilingEntry(year);
    if (lo == null) return hi.getValue();
    if (hi == null) return lo.getValue();
    if (lo.getKey().equals(hi.getKey())) return lo.getValue();
    double w = (year - lo.getKey()) / (double) (hi.getKey() - lo.getKey());
    return Math.exp(
        Math.log(lo.getValue()) + w * (Math.log(hi.getValue()) - Math.log(lo.getValue())));
  }

  /** The anchor of a feature in a year: exact, else interpolated (population of the earlier). */
  static Anchor anchor(Feature f, int year) {
    var lo = f.anchors().floorEntry(year);
    var hi = f.anchors().ceilingEntry(year);
    if (lo == null) return hi.getValue();
    if (hi == null) return lo.getValue();
    if (lo.getKey().equals(hi.getKey())) return lo.getValue();
    double w = (year - lo.getKey()) / (double) (hi.getKey() - lo.getKey());
    double share = lo.getValue().share() + w * (hi.getValue().share() - lo.getValue().share());
    return new Anchor(share, lo.getValue().sizeClasses(), lo.getValue().sections());
  }
}
