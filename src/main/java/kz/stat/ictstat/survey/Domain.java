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

  /**
   * The domain variable of the comparable-territory regions: a unit's region on the boundaries of
   * the last survey year (conf/domains.yaml {@code comparable_territory}).
   */
  public static final String COMPARABLE_REGION = "region_comparable";

  public Domain {
    by = List.copyOf(by);
  }
}
