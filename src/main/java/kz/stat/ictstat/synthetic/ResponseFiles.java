package kz.stat.ictstat.synthetic;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import kz.stat.ictstat.survey.FormVersion;
import kz.stat.ictstat.survey.Item;
import kz.stat.ictstat.survey.ItemType;
import kz.stat.ictstat.survey.SurveyDefinitions;

/**
 * The response files of one year: the sampled units that respond, in the year's form layout (its
 * raw column codes, in order) and file format (encoding, delimiter, decimal mark, line ending,
 * regional split), with the configured errors injected and logged.
 */
final class ResponseFiles {
  /** Texts a collection system lets through in numeric fields. */
  private static final String[] UNPARSEABLE = {"нет", "н/д", "12O", "1.2.3", "x", "5-"};

  private final SurveyDefinitions survey;
  private final SyntheticModel model;
  private final long seed;
  private final Panel panel;
  private final ValueModel.YearTruth truth;
  private final Generator.ErrorLog log;
  private final Set<String> cleanLastYear;
  private final Set<String> cleanThisYear = new HashSet<>();

  /**
   * @param cleanLastYear BINs whose record of the previous year was written without any injected
   *     error (only they can receive a cross-year anomaly this year)
   */
  ResponseFiles(
      SurveyDefinitions survey,
      SyntheticModel model,
      long seed,
      Panel panel,
      ValueModel.YearTruth truth,
      Generator.ErrorLog log,
      Set<String> cleanLastYear) {
    this.survey = survey;
    this.model = model;
    this.seed = seed;
    this.panel = panel;
    this.truth = truth;
    this.log = log;
    this.cleanLastYear = cleanLastYear;
  }

  /** BINs whose record of this year was written without any injected error (after write). */
  Set<String> cleanThisYear() {
    return cleanThisYear;
  }

  /** A value as the form writes it: whole numbers plain, amounts with at most one decimal. */
  static String number(double v, ItemType type, char decimal) {
    if (type != ItemType.AMOUNT) return Long.toString(Math.round(v));
    long tenths = Math.round(v * 10);
    if (tenths % 10 == 0) return Long.toString(tenths / 10);
    String s = (tenths < 0 ? "-" : "") + Math.abs(tenths) / 10 + "." + Math.abs(tenths) % 10;
    return decimal == '.' ? s : s.replace('.', decimal);
  }

  private static final class Out {
    final String name;
    final BufferedWriter w;
    long line = 1; // the header

    Out(String name, BufferedWriter w) {
      this.name = name;
      this.w = w;
    }
  }

  /** Writes the year's response files; returns the number of rows written. */
  long write(Path dir, int year, Map<String, String[]> sample) throws IOException {
    FormVersion form = survey.formFor(year);
    SyntheticModel.FileFormat fmt = model.formatFor(year);
    Charset cs =
        fmt.encoding().equalsIgnoreCase("utf-8-bom")
            ? StandardCharsets.UTF_8
            : Charset.forName(fmt.encoding());
    boolean bom = fmt.encoding().equalsIgnoreCase("utf-8-bom");
    String eol = fmt.lineEnding().equalsIgnoreCase("crlf") ? "\r\n" : "\n";
    char d = fmt.delimiter();
    List<String> codes = new ArrayList<>(form.columns().keySet());
    List<String> items = new ArrayList<>(form.columns().values());
    String header = String.join(String.valueOf(d), codes);

    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < truth.units().length; i++) index.put(panel.bin[truth.units()[i]], i);
    Map<String, Integer> col = new HashMap<>();
    for (int j = 0; j < items.size(); j++) col.put(items.get(j), j);

    Map<String, Out> files = new TreeMap<>();
    long rows = 0;
    try {
      for (String bin : new java.util.TreeSet<>(sample.keySet())) {
        Integer i = index.get(bin);
        if (i == null) {
          throw new IllegalStateException(
              "sampled unit " + bin + " of " + year + " is not in the in-scope population");
        }
        int u = truth.units()[i];
        long id = Long.parseLong(bin);
        boolean responds = !hit(id, year, "unit_nonresponse");
        if (!responds) {
          log.add(year, bin, null, "unit_nonresponse", null, 0, null, null);
          continue;
        }
        String kato = Integer.toString(panel.kato[u]);
        String region = kato.substring(0, 2);
        String name =
            fmt.splitByRegion()
                ? "responses_" + year + "_" + region + ".csv"
                : "responses_" + year + ".csv";
        Out out = files.get(name);
        if (out == null) {
          BufferedWriter w =
              new BufferedWriter(
                  new OutputStreamWriter(Files.newOutputStream(dir.resolve(name)), cs));
          if (bom) w.write('\uFEFF');
          w.write(header + eol);
          out = new Out(name, w);
          files.put(name, out);
        }
        String[] f = new String[items.size()];
        for (int j = 0; j < items.size(); j++) {
          String item = items.get(j);
          f[j] =
              switch (item) {
                case "bin" -> bin;
                case "year" -> Integer.toString(year);
                case "oked" -> panel.okedCodes[panel.oked[u]];
                case "kato" -> kato;
                case "krp" -> panel.krpCode[panel.krpIndex(panel.employees[u])];
                case "kfs" -> panel.kfs[u];
                case "kse" -> panel.kse(u);
                default -> {
                  double[] v = truth.get(item);
                  yield v == null || Double.isNaN(v[i])
                      ? ""
                      : number(v[i], survey.item(item).type(), fmt.decimal());
                }
              };
        }
        long line = out.line + 1;
        long errors0 = log.count;
        boolean duplicate = inject(id, year, bin, items, col, f, out.name, line, fmt);
        if (col.containsKey("bin")) bin = f[col.get("bin")]; // as written (may be corrupted)
        boolean wrongFields = hit(id, year, "wrong_field_count");
        if (log.count == errors0 && !duplicate && !wrongFields) {
          // a record without in-record errors: a cross-year anomaly needs last year's clean record
          if (cleanLastYear.contains(bin))
            injectCrossYear(id, year, bin, col, f, out.name, line, fmt);
          if (log.count == errors0) cleanThisYear.add(bin);
        }
        String text = String.join(String.valueOf(d), f);
        if (wrongFields) {
          text =
              (Rng.u(seed, id, Rng.stream("wrong_field_count:how"), year) < 0.5)
                  ? text.substring(0, text.lastIndexOf(d))
                  : text + d;
          log.add(
              year,
              bin,
              null,
              "wrong_field_count",
              out.name,
              line,
              Integer.toString(f.length) + " fields",
              Integer.toString(
                      text.split(java.util.regex.Pattern.quote(String.valueOf(d)), -1).length)
                  + " fields");
        }
        out.w.write(text + eol);
        out.line++;
        rows++;
        if (duplicate) {
          out.w.write(text + eol);
          out.line++;
          rows++;
          log.add(year, bin, null, "duplicate_record", out.name, out.line, null, null);
        }
      }
    } finally {
      for (Out o : files.values()) o.w.close();
    }
    return rows;
  }

  private boolean hit(long id, int year, String type) {
    double rate = model.errors().getOrDefault(type, 0.0);
    return rate > 0 && Rng.u(seed, id, Rng.stream("error:" + type), year) < rate;
  }

  private double draw(long id, int year, String what) {
    return Rng.u(seed, id, Rng.stream("error-detail:" + what), year);
  }

  /** Injects the record-level errors into the fields; returns whether to duplicate the row. */
  private boolean inject(
      long id,
      int year,
      String bin,
      List<String> items,
      Map<String, Integer> col,
      String[] f,
      String file,
      long line,
      SyntheticModel.FileFormat fmt) {
    // A corrupted BIN first: the error log names each record by the BIN written in the file
    // (the true BIN is the logged true value), so every error of the record can be traced to it.
    Integer b = col.get("bin");
    if (b != null && hit(id, year, "bad_bin_check_digit")) {
      String was = f[b];
      int c = was.charAt(11) - '0';
      int wrong = (c + 1 + (int) (draw(id, year, "bin") * 9)) % 10;
      f[b] = was.substring(0, 11) + wrong;
      bin = f[b];
      log.add(year, bin, "bin", "bad_bin_check_digit", file, line, was, f[b]);
    }
    // item non-response next, so that the other errors stay visible
    for (int j = 0; j < items.size(); j++) {
      Item it = survey.item(items.get(j));
      if (it.type() == ItemType.ID || it.type() == ItemType.YEAR || it.type() == ItemType.CODE) {
        continue;
      }
      if (f[j].isEmpty()) continue;
      double rate = model.errors().getOrDefault("item_nonresponse", 0.0);
      if (Rng.u(seed, id, Rng.stream("error:item_nonresponse:" + it.id()), year) < rate) {
        log.add(year, bin, it.id(), "item_nonresponse", file, line, f[j], "");
        f[j] = "";
      }
    }
    Integer kato = col.get("kato");
    if (kato != null && hit(id, year, "invalid_kato")) {
      String was = f[kato];
      f[kato] = (year >= 2019 && draw(id, year, "kato") < 0.5 ? "51" : "99") + was.substring(2);
      if (f[kato].equals(was)) f[kato] = "99" + was.substring(2);
      log.add(year, bin, "kato", "invalid_kato", file, line, was, f[kato]);
    }
    Integer oked = col.get("oked");
    if (oked != null && hit(id, year, "invalid_oked")) {
      String was = f[oked];
      f[oked] = "00" + was.substring(2);
      log.add(year, bin, "oked", "invalid_oked", file, line, was, f[oked]);
    }
    Integer total = col.get("ict_costs_total");
    boolean components = col.containsKey("ict_costs_hardware");
    if (total != null && components && nonZero(f[total]) && hit(id, year, "arithmetic_mismatch")) {
      String was = f[total];
      double v = parse(was, fmt.decimal());
      double nv = v + Math.max(5, Math.round(v * (0.05 + 0.2 * draw(id, year, "arith"))));
      f[total] = number(nv, ItemType.AMOUNT, fmt.decimal());
      log.add(year, bin, "ict_costs_total", "arithmetic_mismatch", file, line, was, f[total]);
    }
    Integer pc = col.get("uses_computers");
    Integer inet = col.get("has_internet");
    if (pc != null
        && inet != null
        && "1".equals(f[inet])
        && "1".equals(f[pc])
        && hit(id, year, "internet_without_computers")) {
      f[pc] = "0";
      log.add(year, bin, "uses_computers", "internet_without_computers", file, line, "1", "0");
    }
    Integer cloud = col.get("uses_cloud");
    if (cloud != null && "1".equals(f[cloud]) && hit(id, year, "cloud_service_without_cloud")) {
      f[cloud] = "0";
      log.add(year, bin, "uses_cloud", "cloud_service_without_cloud", file, line, "1", "0");
    }
    Integer npc = col.get("n_computers");
    Integer npi = col.get("n_computers_internet");
    if (npc != null
        && npi != null
        && nonZero(f[npc])
        && !f[npi].isEmpty()
        && hit(id, year, "computers_internet_exceed_computers")) {
      String was = f[npi];
      long nv = Long.parseLong(f[npc]) + 1 + (long) (draw(id, year, "npi") * 5);
      f[npi] = Long.toString(nv);
      log.add(
          year,
          bin,
          "n_computers_internet",
          "computers_internet_exceed_computers",
          file,
          line,
          was,
          f[npi]);
    }
    Integer emp = col.get("employees");
    Integer eu = col.get("employees_using_computers");
    if (emp != null
        && eu != null
        && !f[emp].isEmpty()
        && !f[eu].isEmpty()
        && hit(id, year, "employees_using_exceed_employees")) {
      String was = f[eu];
      f[eu] = Long.toString(Long.parseLong(f[emp]) + 1 + (long) (draw(id, year, "eu") * 10));
      log.add(
          year,
          bin,
          "employees_using_computers",
          "employees_using_exceed_employees",
          file,
          line,
          was,
          f[eu]);
    }
    if (total != null && nonZero(f[total]) && hit(id, year, "negative_amount")) {
      String was = f[total];
      f[total] = "-" + was;
      log.add(year, bin, "ict_costs_total", "negative_amount", file, line, was, f[total]);
    }
    if (hit(id, year, "binary_out_of_range")) {
      int j = pick(id, year, "binary", items, f, ItemType.BINARY);
      if (j >= 0) {
        String was = f[j];
        f[j] = "2";
        log.add(year, bin, items.get(j), "binary_out_of_range", file, line, was, "2");
      }
    }
    if (hit(id, year, "unparseable_number")) {
      int j = pick(id, year, "unparseable", items, f, null);
      if (j >= 0) {
        String was = f[j];
        f[j] = UNPARSEABLE[(int) (draw(id, year, "token") * UNPARSEABLE.length)];
        log.add(year, bin, items.get(j), "unparseable_number", file, line, was, f[j]);
      }
    }
    return hit(id, year, "duplicate_record");
  }

  /**
   * Cross-year anomalies: values that are wrong only in comparison with the unit's previous year.
   * Every in-record control still holds (the ratios among the record's own items, the arithmetic of
   * the cost block, the plausibility limits against employees), so only the dynamic checks can find
   * them. A drawn anomaly whose written record would fail an in-record control is not injected. The
   * population truth is unchanged: only the written value is wrong.
   *
   * <ul>
   *   <li>{@code amount_unit_error}: every amount of the record (the ICT costs total and its
   *       components) reported in tenge instead of thousand tenge, x1000;
   *   <li>{@code count_digit_error}: the number of computers with an extra digit, x10;
   *   <li>{@code employees_jump}: the number of employees with an extra digit, x10.
   * </ul>
   */
  private void injectCrossYear(
      long id,
      int year,
      String bin,
      Map<String, Integer> col,
      String[] f,
      String file,
      long line,
      SyntheticModel.FileFormat fmt) {
    Integer total = col.get("ict_costs_total");
    Integer emp = col.get("employees");
    double employees = emp == null || f[emp].isEmpty() ? Double.NaN : parse(f[emp], '.');
    if (total != null && nonZero(f[total]) && hit(id, year, "amount_unit_error")) {
      double t = parse(f[total], fmt.decimal()) * 1000;
      // PL02: ict_costs_total <= 50000 * greatest(employees, 1)
      if (Double.isNaN(employees) || t <= 50000 * Math.max(employees, 1)) {
        for (Map.Entry<String, Integer> e : col.entrySet()) {
          int j = e.getValue();
          if (survey.item(e.getKey()).type() != ItemType.AMOUNT || f[j].isEmpty()) continue;
          String was = f[j];
          f[j] = number(parse(was, fmt.decimal()) * 1000, ItemType.AMOUNT, fmt.decimal());
          log.add(year, bin, e.getKey(), "amount_unit_error", file, line, was, f[j]);
        }
      }
    }
    Integer npc = col.get("n_computers");
    if (npc != null && nonZero(f[npc]) && hit(id, year, "count_digit_error")) {
      long n = Long.parseLong(f[npc]) * 10;
      // PL01: n_computers <= 5 * greatest(employees, 1)
      if (Double.isNaN(employees) || n <= 5 * Math.max(employees, 1)) {
        String was = f[npc];
        f[npc] = Long.toString(n);
        log.add(year, bin, "n_computers", "count_digit_error", file, line, was, f[npc]);
      }
    }
    if (emp != null && nonZero(f[emp]) && hit(id, year, "employees_jump")) {
      long n = Long.parseLong(f[emp]) * 10;
      // PL04: employees <= 200000 (the items bounded by employees only gain room)
      if (n <= 200000) {
        String was = f[emp];
        f[emp] = Long.toString(n);
        log.add(year, bin, "employees", "employees_jump", file, line, was, f[emp]);
      }
    }
  }

  /** A deterministic choice among the non-empty content fields of a type (any numeric: null). */
  private int pick(long id, int year, String what, List<String> items, String[] f, ItemType type) {
    List<Integer> c = new ArrayList<>();
    for (int j = 0; j < items.size(); j++) {
      Item it = survey.item(items.get(j));
      if (f[j].isEmpty()) continue;
      if (type != null ? it.type() == type : it.type().numeric()) c.add(j);
    }
    if (c.isEmpty()) return -1;
    return c.get((int) (draw(id, year, what) * c.size()));
  }

  private static boolean nonZero(String s) {
    return !s.isEmpty() && !s.equals("0") && !s.startsWith("-");
  }

  private static double parse(String s, char decimal) {
    return Double.parseDouble(decimal == '.' ? s : s.replace(decimal, '.'));
  }
}
