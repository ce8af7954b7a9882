package kz.stat.ictstat.ingest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import kz.stat.ictstat.survey.FormVersion;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;

/**
 * Writes input files for the ingest benchmark (bench/ingest.sh): every year 2004-2024 in the layout
 * of its form version and the file format the input contract allows for it, at a volume close to
 * the real survey times {@code scale}: a register of 80,000 (2004) growing to 260,000 (2024) units
 * and responses from 12,000 to 24,000 units; about 0.3 % of the response lines and 0.1 % of the
 * register lines are malformed. Not a model of the survey: only volume and format.
 *
 * <p>Usage: {@code BenchmarkInput <input dir> <scale>}.
 */
public final class BenchmarkInput {
  private BenchmarkInput() {}

  public static void main(String[] args) throws IOException {
    Path input = Path.of(args[0]);
    double scale = Double.parseDouble(args[1]);
    SurveyDefinitions survey = SurveyLoader.load(Path.of("conf"));
    long t0 = System.nanoTime();
    long lines = 0;
    for (int year = 2004; year <= 2024; year++) {
      lines += year(survey, input, year, scale);
    }
    System.out.printf(
        "wrote %d data lines for 2004-2024 at scale %s under %s in %.1f s%n",
        lines, args[1], input, (System.nanoTime() - t0) / 1e9);
  }

  static long year(SurveyDefinitions survey, Path input, int year, double scale)
      throws IOException {
    Path dir = Files.createDirectories(input.resolve(Integer.toString(year)));
    Random rnd = new Random(year * 31L);
    double f = (year - 2004) / 20.0;
    int units = (int) Math.round(scale * (80_000 + 180_000 * f));
    int responding = (int) Math.round(scale * (12_000 + 12_000 * f));
    String[] regions = {
      "11", "15", "19", "23", "27", "31", "35", "39", "43", "47", "51", "55", "59", "63", "71", "75"
    };
    long lines = 0;
    try (BufferedWriter w =
        writer(dir.resolve("register_" + year + ".csv"), StandardCharsets.UTF_8, false)) {
      w.write("bin,year,oked,kato,krp,kfs,kse,employees,activity_status\n");
      for (int i = 0; i < units; i++) {
        String region = regions[i % regions.length];
        if (rnd.nextDouble() < 0.001) {
          w.write(String.format("%012d,%d,%s\n", i, year, "62010"));
        } else {
          w.write(
              String.format(
                  "%012d,%d,%05d,%s1110000,%d,%d,%d,%d,%d\n",
                  100_000_000_000L + i,
                  year,
                  10000 + rnd.nextInt(89999),
                  region,
                  105 + rnd.nextInt(8) * 10,
                  16,
                  1122,
                  rnd.nextInt(500),
                  rnd.nextDouble() < 0.9 ? 1 : 2));
        }
        lines++;
      }
    }
    // formats by period, as in the input contract: Windows-1251 ';' ',' CRLF (regional files in
    // 2007-2014), UTF-8 with BOM ';', UTF-8 ','
    boolean cp1251 = year <= 2014;
    boolean bom = year >= 2015 && year <= 2019;
    char delim = year <= 2019 ? ';' : ',';
    boolean comma = year <= 2014 || year >= 2018 && year <= 2019;
    boolean regional = year >= 2007 && year <= 2014 || year >= 2018 && year <= 2019;
    String eol = year <= 2017 ? "\r\n" : "\n";
    FormVersion form = survey.formFor(year);
    Map<String, BufferedWriter> out = new HashMap<>();
    try {
      for (int i = 0; i < responding; i++) {
        String region = regions[i % regions.length];
        String name =
            regional ? "responses_" + year + "_" + region + ".csv" : "responses_" + year + ".csv";
        BufferedWriter w = out.get(name);
        if (w == null) {
          w =
              writer(
                  dir.resolve(name),
                  cp1251 ? FileInspector.WINDOWS_1251 : StandardCharsets.UTF_8,
                  bom);
          w.write(String.join(String.valueOf(delim), form.columns().keySet()) + eol);
          out.put(name, w);
        }
        List<String> fields = new ArrayList<>();
        for (var e : form.columns().entrySet()) {
          String item = e.getValue();
          String v =
              switch (survey.item(item).type()) {
                case ID -> String.format("%012d", 100_000_000_000L + i * 7L % units);
                case YEAR -> Integer.toString(year);
                case CODE ->
                    item.equals("kato") ? region + "1110000" : item.equals("oked") ? "62010" : "16";
                case BINARY -> rnd.nextInt(10) < 6 ? "1" : "0";
                case CLASS -> Integer.toString(1 + rnd.nextInt(4));
                case COUNT -> rnd.nextInt(20) == 0 ? "" : Integer.toString(rnd.nextInt(300));
                case AMOUNT -> (rnd.nextInt(100000) / 10.0 + "").replace('.', comma ? ',' : '.');
              };
          fields.add(v);
        }
        double u = rnd.nextDouble();
        if (u < 0.0015) fields.remove(fields.size() - 1); // wrong field count
        else if (u < 0.003) fields.set(9, "12a"); // unparseable number
        w.write(String.join(String.valueOf(delim), fields) + eol);
        lines++;
      }
    } finally {
      for (BufferedWriter w : out.values()) w.close();
    }
    return lines;
  }

  private static BufferedWriter writer(Path p, Charset cs, boolean bom) throws IOException {
    OutputStream os = Files.newOutputStream(p);
    if (bom) os.write(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
    return new BufferedWriter(new OutputStreamWriter(os, cs), 1 << 16);
  }
}
