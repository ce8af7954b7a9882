package kz.stat.ictstat.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kz.stat.ictstat.config.Settings;
import kz.stat.ictstat.survey.FormVersion;
import kz.stat.ictstat.survey.ItemType;
import kz.stat.ictstat.survey.SurveyDefinitions;

/**
 * The expected columns of one kind of input file: raw column code, target column, type.
 *
 * <p>Header matching is by name, case-insensitive, in any order. <b>Every column of the layout is
 * required</b>: a missing column is an error, never a column of NULLs, because NULL means "not
 * answered" downstream and a lost column would silently turn into item non-response. An unknown
 * extra column is an error too (naming the closest known code), because it usually means a form
 * version that conf/forms does not describe yet. Either way the fix is a correct file or a new form
 * version under conf/forms, not a guess.
 *
 * @param name the form version (e.g. {@code v2022}) or {@code register}
 */
record Layout(String name, List<Column> columns) {

  /** One expected column. */
  record Column(String code, String target, ItemType type) {}

  Layout {
    columns = List.copyOf(columns);
  }

  /**
   * The business register file ({@code register_<year>.csv}), as agreed with the generator of the
   * input files: {@code bin,year,oked,kato,krp,kfs,kse,employees,activity_status}.
   */
  static Layout register() {
    return new Layout(
        "register",
        List.of(
            new Column("bin", "bin", ItemType.ID),
            new Column("year", "year", ItemType.YEAR),
            new Column("oked", "oked", ItemType.CODE),
            new Column("kato", "kato", ItemType.CODE),
            new Column("krp", "krp", ItemType.CODE),
            new Column("kfs", "kfs", ItemType.CODE),
            new Column("kse", "kse", ItemType.CODE),
            new Column("employees", "employees", ItemType.COUNT),
            new Column("activity_status", "activity_status", ItemType.CLASS)));
  }

  /** The response file layout of a form version: its raw codes mapped to canonical items. */
  static Layout form(FormVersion form, SurveyDefinitions survey) {
    List<Column> cols = new ArrayList<>();
    form.columns()
        .forEach((code, item) -> cols.add(new Column(code, item, survey.item(item).type())));
    return new Layout(form.version(), cols);
  }

  /**
   * Matches a header to this layout: the layout's columns in header order. Throws naming every
   * unknown, missing or repeated column, and the form version the header does match, if any.
   */
  List<Column> match(InputFile file, SurveyDefinitions survey) throws FileInspector.Unusable {
    Map<String, Column> byCode = new LinkedHashMap<>();
    for (Column c : columns) byCode.put(key(c.code()), c);
    List<Column> ordered = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    List<String> repeated = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String h : file.header()) {
      if (seen.merge(key(h), 1, Integer::sum) > 1) {
        repeated.add("'" + h + "'");
        continue;
      }
      Column c = byCode.get(key(h));
      if (c == null) {
        unknown.add(
            "'" + FileInspector.abbreviate(h, 40) + "' (closest known: '" + closest(h) + "')");
      } else {
        ordered.add(c);
      }
    }
    List<String> missing = new ArrayList<>();
    for (Column c : columns) {
      if (!seen.containsKey(key(c.code()))) {
        missing.add(
            "'" + c.code() + "'" + (c.code().equals(c.target()) ? "" : " (" + c.target() + ")"));
      }
    }
    if (unknown.isEmpty() && missing.isEmpty() && repeated.isEmpty()) return ordered;
    List<String> parts = new ArrayList<>();
    if (!unknown.isEmpty()) parts.add("unknown column(s) " + list(unknown));
    if (!missing.isEmpty()) parts.add("missing column(s) " + list(missing));
    if (!repeated.isEmpty()) parts.add("repeated column(s) " + list(repeated));
    String what =
        name.equals("register")
            ? "the register layout"
            : "form version " + name + " of " + file.year();
    String other = "";
    if (file.kind() == InputFile.Kind.RESPONSES) {
      for (FormVersion f : survey.forms()) {
        if (!f.version().equals(name) && sameCodes(file.header(), f)) {
          other =
              "; the header is the layout of "
                  + f.version()
                  + " ("
                  + f.years()
                  + "): is the file in the wrong year's folder?";
        }
      }
    }
    throw FileInspector.unusable(
        file.name(),
        "header does not match " + what + ": " + String.join("; ", parts) + other,
        "correct the header (columns of "
            + name
            + ": "
            + FileInspector.abbreviate(
                String.join(",", columns.stream().map(Column::code).toList()), 80)
            + "), or describe the layout under conf/forms");
  }

  private String closest(String code) {
    String best = null;
    int bestD = Integer.MAX_VALUE;
    for (Column c : columns) {
      int d = Settings.editDistance(key(code), key(c.code()));
      if (d < bestD) {
        bestD = d;
        best = c.code();
      }
    }
    return best;
  }

  private static boolean sameCodes(List<String> header, FormVersion f) {
    if (header.size() != f.columns().size()) return false;
    var want =
        f.columns().keySet().stream().map(Layout::key).collect(java.util.stream.Collectors.toSet());
    return header.stream()
        .map(Layout::key)
        .collect(java.util.stream.Collectors.toSet())
        .equals(want);
  }

  private static String key(String code) {
    return code.trim().toLowerCase(Locale.ROOT);
  }

  private static String list(List<String> items) {
    int max = 8;
    if (items.size() <= max) return String.join(", ", items);
    return String.join(", ", items.subList(0, max)) + " and " + (items.size() - max) + " more";
  }
}
