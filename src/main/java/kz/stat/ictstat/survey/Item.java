package kz.stat.ictstat.survey;

import java.util.List;

/**
 * A canonical item of the questionnaire (conf/items.yaml): what every form version maps into.
 *
 * @param classifier for CODE items, the classifier that validates the code (kato, oked, …)
 * @param unit for COUNT and AMOUNT items (persons, units, thousand tenge)
 * @param since first year the item exists
 * @param until last year, or null while it is still asked
 * @param allowed for CLASS items, the allowed codes
 */
public record Item(
    String id,
    ItemType type,
    String unit,
    String classifier,
    int since,
    Integer until,
    List<Integer> allowed,
    Labels labels,
    String eurostat) {

  public boolean existsIn(int year) {
    return year >= since && (until == null || year <= until);
  }
}
