package kz.stat.ictstat.survey;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import kz.stat.ictstat.config.YearRange;

/**
 * One version of form 3-inform (conf/forms/*.yaml): the years it covers and, in file order, the raw
 * column code of each canonical item.
 *
 * @param columns raw column code to canonical item id, in the order of the version's layout
 */
public record FormVersion(
    String version, YearRange years, String description, Map<String, String> columns) {

  public FormVersion {
    columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
  }

  /** Canonical item id to raw column code. */
  public Map<String, String> codesByItem() {
    Map<String, String> m = new LinkedHashMap<>();
    columns.forEach((code, item) -> m.put(item, code));
    return m;
  }

  public Optional<String> codeOf(String item) {
    return Optional.ofNullable(codesByItem().get(item));
  }
}
