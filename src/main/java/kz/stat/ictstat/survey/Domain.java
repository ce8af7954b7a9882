package kz.stat.ictstat.survey;

import java.util.List;

/**
 * A breakdown of the published estimates (conf/domains.yaml).
 *
 * @param by the domain variables (region, section, size_class, ownership, sector); empty = total
 */
public record Domain(String id, List<String> by, Labels labels) {
  /** The domain variables every unit carries (derived from its frame classification). */
  public static final List<String> VARIABLES =
      List.of("region", "section", "size_class", "ownership", "sector");

  public Domain {
    by = List.copyOf(by);
  }
}
