package kz.stat.ictstat.disclosure;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kz.stat.ictstat.IctstatException;
import org.yaml.snakeyaml.Yaml;

/**
 * Thresholds of disclosure control and reliability flags (conf/disclosure.yaml).
 *
 * @param minRespondents frequency rule: fewer contributors than this is disclosive
 * @param dominanceN dominance rule (n, k): number of largest contributions
 * @param dominanceK dominance rule (n, k): share in % of the cell total
 * @param pPercent p % rule: T − x₁ − x₂ &lt; p/100 · x₁ is disclosive
 * @param rseUnreliable flag {@code u} when RSE (%) is above this
 * @param katoReforms years of regional boundary changes (flag {@code b} on regional cells)
 */
public record DisclosureRules(
    int minRespondents,
    int dominanceN,
    double dominanceK,
    double pPercent,
    double rseUnreliable,
    List<Integer> katoReforms) {

  public static final String FILE = "disclosure.yaml";

  public DisclosureRules {
    katoReforms = List.copyOf(katoReforms);
    if (minRespondents < 1 || dominanceN < 1 || dominanceK <= 0 || dominanceK > 100) {
      throw IctstatException.usage(
          "disclosure thresholds out of range: min_respondents="
              + minRespondents
              + ", dominance n="
              + dominanceN
              + " k="
              + dominanceK,
          "set min_respondents >= 1, dominance.n >= 1 and 0 < dominance.k <= 100 in conf/" + FILE);
    }
  }

  /** The defaults of METHODS.md: 3 respondents, (2, 85 %), p = 10 %, RSE 30 %. */
  public static DisclosureRules defaults() {
    return new DisclosureRules(3, 2, 85, 10, 30, List.of(2018, 2022));
  }

  /** Reads conf/disclosure.yaml from the survey folder; missing keys take the defaults. */
  @SuppressWarnings("unchecked")
  public static DisclosureRules load(Path surveyDir) {
    Path file = surveyDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw IctstatException.usage(
          "no disclosure thresholds at " + file,
          "create conf/" + FILE + " (min_respondents, dominance, p_percent, rse_unreliable)");
    }
    Map<String, Object> m;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Object o = new Yaml().load(r);
      m = o instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    } catch (IOException | RuntimeException e) {
      throw IctstatException.usage(
          "cannot read " + file + ": " + e.getMessage(), "fix the YAML syntax of conf/" + FILE);
    }
    DisclosureRules d = defaults();
    Map<String, Object> dom =
        m.get("dominance") instanceof Map<?, ?> x ? (Map<String, Object>) x : Map.of();
    List<Integer> reforms = new ArrayList<>();
    if (m.get("kato_reforms") instanceof List<?> l) {
      for (Object y : l) reforms.add(((Number) y).intValue());
    } else {
      reforms.addAll(d.katoReforms());
    }
    return new DisclosureRules(
        num(m, "min_respondents", d.minRespondents(), file).intValue(),
        num(dom, "n", d.dominanceN(), file).intValue(),
        num(dom, "k", d.dominanceK(), file).doubleValue(),
        num(m, "p_percent", d.pPercent(), file).doubleValue(),
        num(m, "rse_unreliable", d.rseUnreliable(), file).doubleValue(),
        reforms);
  }

  private static Number num(Map<String, Object> m, String key, Number dflt, Path file) {
    Object v = m.get(key);
    if (v == null) return dflt;
    if (v instanceof Number n) return n;
    throw IctstatException.usage(
        key + " in " + file + " is '" + v + "', not a number", "write a number, e.g. " + dflt);
  }
}
