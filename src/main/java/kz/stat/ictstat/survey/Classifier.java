package kz.stat.ictstat.survey;

import java.util.List;
import java.util.Map;

/**
 * A code list read from conf/classifiers/*.csv, kept as text rows (header order preserved), so that
 * the Bureau can add columns without code changes. Written to {@code ref.<name>}.
 */
public record Classifier(String name, List<String> header, List<Map<String, String>> rows) {
  public Classifier {
    header = List.copyOf(header);
    rows = List.copyOf(rows);
  }

  /** The values of one column, in file order. */
  public List<String> column(String col) {
    return rows.stream().map(r -> r.get(col)).toList();
  }
}
