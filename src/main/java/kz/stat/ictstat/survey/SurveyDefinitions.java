package kz.stat.ictstat.survey;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import kz.stat.ictstat.IctstatException;

/**
 * Everything the pipeline knows about form 3-inform, loaded from {@code conf/} by {@link
 * SurveyLoader}: items, form versions, classifiers, indicators, domains, sample design. Java code
 * reads the survey only through this.
 *
 * @param comparableTerritory the regions on the last year's boundaries (domain variable {@code
 *     region_comparable}), when conf/domains.yaml has a {@code comparable_territory} entry
 */
public record SurveyDefinitions(
    Map<String, Item> items,
    List<FormVersion> forms,
    Map<String, Classifier> classifiers,
    List<Indicator> indicators,
    List<Domain> domains,
    Optional<Domain> comparableTerritory,
    SampleDesign design) {

  public SurveyDefinitions {
    items = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(items));
    forms = List.copyOf(forms);
    classifiers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(classifiers));
    indicators = List.copyOf(indicators);
    domains = List.copyOf(domains);
  }

  /** The form version of a reference year, or a usage error naming the years covered. */
  public FormVersion formFor(int year) {
    return findForm(year)
        .orElseThrow(
            () ->
                IctstatException.usage(
                    "no form version covers year " + year,
                    "the form versions cover "
                        + forms.stream().map(f -> f.version() + " " + f.years()).toList()
                        + "; add a version under conf/forms/ for "
                        + year));
  }

  public Optional<FormVersion> findForm(int year) {
    return forms.stream().filter(f -> f.years().contains(year)).findFirst();
  }

  public Item item(String id) {
    Item i = items.get(id);
    if (i == null) throw new IllegalArgumentException("unknown item " + id);
    return i;
  }

  public Classifier classifier(String name) {
    Classifier c = classifiers.get(name);
    if (c == null) {
      throw IctstatException.usage(
          "classifier '" + name + "' is missing", "add conf/classifiers/" + name + ".csv");
    }
    return c;
  }

  public Indicator indicator(String id) {
    return indicators.stream()
        .filter(i -> i.id().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                IctstatException.usage(
                    "unknown indicator '" + id + "'",
                    "use one of " + indicators.stream().map(Indicator::id).toList()));
  }

  /** Items that are questionnaire content (not identification: bin, year and codes). */
  public List<Item> contentItems() {
    return items.values().stream()
        .filter(
            i -> i.type() != ItemType.ID && i.type() != ItemType.YEAR && i.type() != ItemType.CODE)
        .toList();
  }

  /** The first and last years the form versions cover. */
  public int firstYear() {
    return forms.stream().mapToInt(f -> f.years().first()).min().orElseThrow();
  }

  public int lastYear() {
    return lastYear(forms);
  }

  /** The last year the given form versions cover. */
  static int lastYear(List<FormVersion> forms) {
    return forms.stream().mapToInt(f -> f.years().last()).max().orElseThrow();
  }
}
