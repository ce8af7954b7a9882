package kz.stat.ictstat.survey;

import java.util.Map;

/** Labels of one entry by language code (kk, ru, en). */
public record Labels(Map<String, String> byLanguage) {
  public static final java.util.List<String> LANGUAGES = java.util.List.of("kk", "ru", "en");

  public Labels {
    byLanguage = Map.copyOf(byLanguage);
  }

  /** The label in {@code lang}, falling back to Russian, then English. */
  public String get(String lang) {
    String s = byLanguage.get(lang);
    if (s == null) s = byLanguage.get("ru");
    if (s == null) s = byLanguage.get("en");
    return s;
  }

  public String en() {
    return get("en");
  }
}
