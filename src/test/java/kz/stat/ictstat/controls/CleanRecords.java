package kz.stat.ictstat.controls;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.stat.ictstat.survey.Item;
import kz.stat.ictstat.survey.SurveyDefinitions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Test factory: records of the canonical core.responses schema that pass every rule, with any item
 * then broken by hand. Items the year's form does not ask are NULL, as ingest writes them.
 */
final class CleanRecords {
  private final SurveyDefinitions survey;
  private final SparkSession spark;
  private final List<Map<String, Object>> rows = new ArrayList<>();

  CleanRecords(SparkSession spark, SurveyDefinitions survey) {
    this.spark = spark;
    this.survey = survey;
  }

  /**
   * A clean small enterprise (8 employees, 5 computers, internet, cloud e-mail) of {@code year}.
   */
  static Map<String, Object> clean(SurveyDefinitions survey, int year, String bin) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("bin", bin);
    all.put("year", year);
    all.put("oked", "62010");
    all.put("kato", "751110000");
    all.put("krp", "110");
    all.put("kfs", "19");
    all.put("kse", "1122");
    all.put("employees", 8L);
    all.put("uses_computers", 1);
    all.put("n_computers", 5L);
    all.put("n_computers_internet", 4L);
    all.put("employees_using_computers", 6L);
    all.put("has_internet", 1);
    all.put("internet_dialup", 0);
    all.put("internet_fixed_broadband", 1);
    all.put("internet_mobile_broadband", 1);
    all.put("broadband_speed_class", 3);
    all.put("has_website", 1);
    all.put("uses_social_media", 1);
    all.put("orders_received_online", 0);
    all.put("orders_placed_online", 1);
    all.put("uses_egov", 1);
    all.put("uses_cloud", 1);
    for (String c : List.of("office", "storage", "database", "finance", "crm", "computing")) {
      all.put("cloud_" + c, 0);
    }
    all.put("cloud_email", 1);
    for (String c :
        List.of(
            "uses_erp",
            "uses_crm",
            "uses_iot",
            "uses_big_data",
            "uses_ai",
            "uses_robotics",
            "uses_3d_printing",
            "uses_blockchain",
            "ict_training",
            "recruited_ict_specialists",
            "ict_security_incident")) {
      all.put(c, 0);
    }
    all.put("ict_security_measures", 1);
    all.put("n_ict_specialists", 1L);
    all.put("ict_costs_total", 200.0);
    all.put("ict_costs_hardware", 100.0);
    all.put("ict_costs_software", 50.0);
    all.put("ict_costs_telecom", 30.0);
    all.put("ict_costs_services", 19.5);
    all.put("ict_costs_training", 0.5);
    all.put("ict_costs_other", 0.0);
    var asked = survey.formFor(year).columns().values();
    Map<String, Object> m = new LinkedHashMap<>();
    for (Item i : survey.items().values())
      m.put(i.id(), asked.contains(i.id()) ? all.get(i.id()) : null);
    m.put("form_version", survey.formFor(year).version());
    m.put("source_file", "responses_" + year + ".csv");
    m.put("source_line", 0L);
    return m;
  }

  /** Adds a clean record of {@code year} with {@code bin}, then the given items overwritten. */
  CleanRecords add(int year, String bin, Object... itemValuePairs) {
    Map<String, Object> m = clean(survey, year, bin);
    for (int i = 0; i < itemValuePairs.length; i += 2) {
      String item = (String) itemValuePairs[i];
      if (!m.containsKey(item)) throw new IllegalArgumentException("no item " + item);
      m.put(item, itemValuePairs[i + 1]);
    }
    m.put("source_line", (long) rows.size() + 2);
    rows.add(m);
    return this;
  }

  StructType schema() {
    List<StructField> f = new ArrayList<>();
    for (Item i : survey.items().values()) {
      f.add(DataTypes.createStructField(i.id(), i.type().sparkType(), true));
    }
    f.add(DataTypes.createStructField("form_version", DataTypes.StringType, true));
    f.add(DataTypes.createStructField("source_file", DataTypes.StringType, true));
    f.add(DataTypes.createStructField("source_line", DataTypes.LongType, true));
    return DataTypes.createStructType(f);
  }

  Dataset<Row> frame() {
    StructType st = schema();
    List<Row> out = new ArrayList<>();
    for (Map<String, Object> m : rows) {
      Object[] v = new Object[st.fields().length];
      for (int i = 0; i < v.length; i++) v[i] = m.get(st.fields()[i].name());
      out.add(RowFactory.create(v));
    }
    return spark.createDataFrame(out, st);
  }

  /**
   * A BIN with a valid check digit, computed here independently of the Spark SQL version: digits
   * d1..d11 from {@code seed}; check = (sum d_i * i) mod 11, or with weights 3..11,1,2 when that is
   * 10; seeds whose second sum is also 10 are skipped.
   */
  static String bin(long seed) {
    for (long s = seed * 16; ; s++) {
      String base =
          String.format("%011d", Math.floorMod(s * 7919L + 100_000_000_00L, 100_000_000_000L));
      Integer c = checkDigit(base);
      if (c != null) return base + c;
    }
  }

  static Integer checkDigit(String first11) {
    int[] w2 = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
    int s1 = 0;
    int s2 = 0;
    for (int i = 0; i < 11; i++) {
      int d = first11.charAt(i) - '0';
      s1 += d * (i + 1);
      s2 += d * w2[i];
    }
    if (s1 % 11 != 10) return s1 % 11;
    if (s2 % 11 != 10) return s2 % 11;
    return null;
  }
}
