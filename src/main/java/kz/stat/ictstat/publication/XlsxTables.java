package kz.stat.ictstat.publication;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.estimation.EstimationQuery;
import kz.stat.ictstat.survey.Domain;
import kz.stat.ictstat.survey.Indicator;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * The electronic tables (XLSX) of a reference year: for each language (kk, ru, en) one sheet per
 * one-way breakdown (region, economic activity, size) of the headline indicators, and the dynamic
 * series of the national totals over all years. Each indicator has a value column (blank text
 * {@code c} when confidential) and a flag column; the footnotes explain the flags.
 */
public final class XlsxTables {
  private XlsxTables() {}

  /** Sheet name of a language and a part: e.g. "en region", "ru series". */
  public static String sheetName(String lang, String part) {
    return lang + " " + part;
  }

  /**
   * The one-way breakdowns published as sheets: the domains with exactly one variable among these.
   */
  public static final List<String> BREAKDOWNS = List.of("region", "section", "size_class");

  public static void write(
      Path file,
      int year,
      List<Indicator> headline,
      List<Domain> domains,
      List<PubCell> yearCells,
      List<PubCell> series,
      PublicationLabels labels) {
    try (XSSFWorkbook wb = new XSSFWorkbook()) {
      CellStyle pct = wb.createCellStyle();
      pct.setDataFormat(wb.createDataFormat().getFormat("0.0"));
      CellStyle num = wb.createCellStyle();
      num.setDataFormat(wb.createDataFormat().getFormat("#,##0"));
      CellStyle bold = wb.createCellStyle();
      Font f = wb.createFont();
      f.setBold(true);
      bold.setFont(f);
      bold.setWrapText(true);
      Map<String, PubCell> byKey = new LinkedHashMap<>();
      for (PubCell c : yearCells)
        byKey.put(c.indicator() + "/" + c.domainType() + "/" + c.domainCode(), c);
      Map<String, PubCell> seriesByKey = new LinkedHashMap<>();
      Set<Integer> years = new TreeSet<>();
      for (PubCell c : series) {
        seriesByKey.put(c.indicator() + "/" + c.year(), c);
        years.add(c.year());
      }
      for (String lang : labels.languages()) {
        for (String var : BREAKDOWNS) {
          Domain d =
              domains.stream().filter(x -> x.by().equals(List.of(var))).findFirst().orElse(null);
          if (d == null) continue;
          Sheet s = wb.createSheet(sheetName(lang, d.id()));
          int r = title(s, labels.text("title", lang) + ", " + year, d.labels().get(lang), bold);
          Row h = s.createRow(r++);
          h.createCell(0).setCellValue(d.labels().get(lang));
          header(h, headline, labels, lang, bold);
          Set<String> codes = new TreeSet<>();
          for (PubCell c : yearCells) if (c.domainType().equals(d.id())) codes.add(c.domainCode());
          List<String> rows = new ArrayList<>();
          rows.add(EstimationQuery.TOTAL_CODE);
          rows.addAll(codes);
          Set<Character> used = new LinkedHashSet<>();
          for (String code : rows) {
            Row row = s.createRow(r++);
            boolean total = EstimationQuery.TOTAL_CODE.equals(code);
            row.createCell(0)
                .setCellValue(
                    total ? labels.code("total", code, lang) : labels.code(d.id(), code, lang));
            int col = 1;
            for (Indicator ind : headline) {
              PubCell c =
                  byKey.get(ind.id() + "/" + (total ? totalType(domains) : d.id()) + "/" + code);
              col = value(row, col, c, ind, pct, num, used);
            }
          }
          footnotes(s, r + 1, used, labels, lang);
          s.setColumnWidth(0, 40 * 256);
        }
        Sheet s = wb.createSheet(sheetName(lang, "series"));
        int r = title(s, labels.text("title", lang), labels.text("series", lang), bold);
        Row h = s.createRow(r++);
        h.createCell(0).setCellValue(labels.text("year", lang));
        header(h, headline, labels, lang, bold);
        Set<Character> used = new LinkedHashSet<>();
        for (int y : years) {
          Row row = s.createRow(r++);
          row.createCell(0).setCellValue(y);
          int col = 1;
          for (Indicator ind : headline) {
            col = value(row, col, seriesByKey.get(ind.id() + "/" + y), ind, pct, num, used);
          }
        }
        footnotes(s, r + 1, used, labels, lang);
      }
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (OutputStream o = Files.newOutputStream(file)) {
        wb.write(o);
      }
    } catch (IOException e) {
      throw IctstatException.runFailed(
          "cannot write the electronic tables " + file + ": " + e.getMessage(),
          "check that the output folder is writable and has space");
    }
  }

  private static String totalType(List<Domain> domains) {
    return domains.stream()
        .filter(x -> x.by().isEmpty())
        .map(Domain::id)
        .findFirst()
        .orElse("total");
  }

  private static int title(Sheet s, String title, String sub, CellStyle bold) {
    Row t = s.createRow(0);
    t.createCell(0).setCellValue(title);
    t.getCell(0).setCellStyle(bold);
    s.createRow(1).createCell(0).setCellValue(sub);
    return 3;
  }

  private static void header(
      Row h, List<Indicator> headline, PublicationLabels labels, String lang, CellStyle bold) {
    int col = 1;
    for (Indicator ind : headline) {
      var c = h.createCell(col++);
      c.setCellValue(ind.labels().get(lang) + ", " + labels.unit(ind.unit(), lang));
      c.setCellStyle(bold);
      h.getSheet().setColumnWidth(col - 1, 22 * 256);
      h.createCell(col++).setCellValue(labels.text("flag", lang));
    }
    h.setHeightInPoints(60);
  }

  private static int value(
      Row row,
      int col,
      PubCell c,
      Indicator ind,
      CellStyle pct,
      CellStyle num,
      Set<Character> used) {
    var v = row.createCell(col);
    var fl = row.createCell(col + 1);
    if (c == null) {
      v.setCellValue("-");
    } else if (c.confidential() || c.estimate() == null) {
      v.setCellValue(c.confidential() ? "c" : "-");
    } else {
      v.setCellValue(c.estimate());
      v.setCellStyle("percent".equals(ind.unit()) ? pct : num);
    }
    if (c != null && !c.flags().isEmpty()) {
      fl.setCellValue(c.flags());
      for (char ch : c.flags().toCharArray()) used.add(ch);
    }
    return col + 2;
  }

  private static void footnotes(
      Sheet s, int r, Set<Character> used, PublicationLabels labels, String lang) {
    Map<Character, String> notes = new TreeMap<>();
    for (char ch : new char[] {'c', 'u', 'b'}) notes.put(ch, labels.footnote(ch, lang));
    for (var e : notes.entrySet()) {
      // every footnote is printed so that readers see the convention even when unused
      s.createRow(r++).createCell(0).setCellValue(e.getValue());
    }
  }
}
