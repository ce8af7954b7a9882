package kz.stat.ictstat.publication;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.estimation.EstimationQuery;
import kz.stat.ictstat.survey.Domain;
import kz.stat.ictstat.survey.Indicator;
import org.yaml.snakeyaml.Yaml;

/**
 * SDMX-CSV (version 1 layout: DATAFLOW, dimensions, TIME_PERIOD, OBS_VALUE, OBS_STATUS) of the
 * indicators that have a Eurostat code, for the domains made of region (geo), section (nace_r2) and
 * size class (size_emp); codes from conf/sdmx.yaml. Confidential cells have an empty OBS_VALUE and
 * OBS_STATUS {@code c}; other flags (u, b) are carried in OBS_STATUS.
 */
public final class SdmxCsv {
  public static final String FILE = "sdmx.yaml";
  public static final String HEADER =
      "DATAFLOW,FREQ,INDIC_IS,UNIT,SIZE_EMP,NACE_R2,GEO,TIME_PERIOD,OBS_VALUE,OBS_STATUS";

  private final Map<String, Object> conf;

  private SdmxCsv(Map<String, Object> conf) {
    this.conf = conf;
  }

  @SuppressWarnings("unchecked")
  public static SdmxCsv load(Path surveyDir) {
    Path file = surveyDir.resolve(FILE);
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Object o = new Yaml().load(r);
      return new SdmxCsv(o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
    } catch (IOException | RuntimeException e) {
      throw IctstatException.usage(
          "cannot read the SDMX code mapping " + file + ": " + e.getMessage(),
          "restore conf/" + FILE + " (dataflow, geo, size_emp, units)");
    }
  }

  /** The SDMX-CSV lines (header first) of {@code cells}. */
  public List<String> lines(List<PubCell> cells, List<Indicator> indicators, List<Domain> domains) {
    List<String> out = new ArrayList<>();
    out.add(HEADER);
    String flow = String.valueOf(conf.getOrDefault("dataflow", "KZ_STAT:ICT_ENT(1.0)"));
    List<PubCell> sorted = new ArrayList<>(cells);
    sorted.sort(
        Comparator.comparing(PubCell::indicator)
            .thenComparing(PubCell::domainType)
            .thenComparing(PubCell::domainCode)
            .thenComparingInt(PubCell::year));
    for (PubCell c : sorted) {
      Indicator ind =
          indicators.stream().filter(i -> i.id().equals(c.indicator())).findFirst().orElse(null);
      if (ind == null || ind.eurostat() == null) continue;
      Domain d =
          domains.stream().filter(x -> x.id().equals(c.domainType())).findFirst().orElse(null);
      if (d == null || !List.of("region", "section", "size_class").containsAll(d.by())) continue;
      String geo = String.valueOf(conf.getOrDefault("geo_total", "KZ"));
      String nace = "TOTAL";
      String size = code("size_emp", EstimationQuery.TOTAL_CODE);
      if (!d.by().isEmpty()) {
        String[] parts = c.domainCode().split("\\|", -1);
        for (int i = 0; i < d.by().size(); i++) {
          switch (d.by().get(i)) {
            case "region" -> geo = conf.getOrDefault("geo_region_prefix", "KZ") + parts[i];
            case "section" -> nace = parts[i];
            case "size_class" -> size = code("size_emp", parts[i]);
            default -> {}
          }
        }
      }
      String unit = code("units", ind.unit() == null ? "" : ind.unit());
      String value =
          c.confidential() || c.estimate() == null
              ? ""
              : String.format(Locale.ROOT, "%.4f", c.estimate())
                  .replaceAll("0+$", "")
                  .replaceAll("\\.$", "");
      out.add(
          String.join(
              ",",
              flow,
              "A",
              ind.eurostat(),
              unit,
              size,
              nace,
              geo,
              String.valueOf(c.year()),
              value,
              c.confidential() ? "c" : c.flags()));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private String code(String map, String key) {
    Object m = conf.get(map);
    if (m instanceof Map<?, ?> mm && mm.get(key) != null) return String.valueOf(mm.get(key));
    return key.isEmpty() ? "_Z" : key.toUpperCase(Locale.ROOT).replace(' ', '_');
  }

  public void write(
      Path file, List<PubCell> cells, List<Indicator> indicators, List<Domain> domains) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (String l : lines(cells, indicators, domains)) w.write(l + "\n");
      }
    } catch (IOException e) {
      throw IctstatException.runFailed(
          "cannot write " + file + ": " + e.getMessage(),
          "check that the output folder is writable");
    }
  }
}
