package kz.stat.ictstat.controls;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.survey.Classifier;
import kz.stat.ictstat.survey.Item;
import kz.stat.ictstat.survey.ItemType;
import kz.stat.ictstat.survey.SurveyDefinitions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The derived columns rules can use (code validity against the classifiers, BIN check digit,
 * duplicates, sample membership, previous year's values), and how they are added to the records of
 * all controlled years in one plan: small broadcast joins with reference tables built from the
 * classifiers, a window count and joins with the sample and the previous year keyed by (year, BIN).
 * Only the columns the rules use are computed.
 *
 * <p>The classifier code lists are named as in {@code conf/classifiers/} (kato_regions,
 * kato_succession, oked, krp, kfs, kse); the canonical item each one checks is the item whose
 * {@code classifier} names it in items.yaml, so no questionnaire item is named here.
 */
public final class HelperColumns {
  /** Prefix of the previous year's value of an item: {@code prev_<item>}. */
  public static final String PREV = "prev_";

  /** Lineage and layout columns of core.responses that rules may also read. */
  public static final Map<String, org.apache.spark.sql.types.DataType> LINEAGE =
      Map.of(
          "form_version", DataTypes.StringType,
          "source_file", DataTypes.StringType,
          "source_line", DataTypes.LongType);

  /** Every helper column, in documentation order. */
  public static final List<Helper> ALL =
      List.of(
          new Helper(
              "bin_check_ok",
              DataTypes.BooleanType,
              RuleKind.IN_RECORD,
              "id",
              "the BIN has 12 digits and a valid check digit (weights 1-11, then 3-11,1,2)"),
          new Helper(
              "bin_count",
              DataTypes.LongType,
              RuleKind.CROSS_RECORD,
              "id",
              "number of records of the year with this BIN (window count)"),
          new Helper(
              "in_sample",
              DataTypes.BooleanType,
              RuleKind.CROSS_RECORD,
              "id",
              "the BIN is in the year's core.sample (NULL when no sample of the year exists)"),
          new Helper(
              "prev_found",
              DataTypes.BooleanType,
              RuleKind.CROSS_YEAR,
              "id",
              "the BIN has a record in the previous year's core.responses"),
          new Helper(
              "kato_region",
              DataTypes.StringType,
              RuleKind.IN_RECORD,
              "kato",
              "2-digit region prefix of the KATO code"),
          new Helper(
              "kato_valid",
              DataTypes.BooleanType,
              RuleKind.IN_RECORD,
              "kato",
              "KATO has 9 digits, its region exists in the year (2018 and 2022 reforms) and its"
                  + " prefix was not moved to a successor region before the year"),
          new Helper(
              "oked_valid",
              DataTypes.BooleanType,
              RuleKind.IN_RECORD,
              "oked",
              "the OKED code is in the OKED classifier"),
          new Helper(
              "oked_section",
              DataTypes.StringType,
              RuleKind.IN_RECORD,
              "oked",
              "OKED section letter of the code (NULL if the code is unknown)"),
          new Helper(
              "oked_in_scope",
              DataTypes.BooleanType,
              RuleKind.IN_RECORD,
              "oked",
              "the OKED code is in the survey's scope (design.yaml oked_scope)"),
          new Helper(
              "krp_valid",
              DataTypes.BooleanType,
              RuleKind.IN_RECORD,
              "krp",
              "the KRP size code is in the KRP classifier"),
          new Helper(
              "krp_size_class",
              DataTypes.StringType,
              RuleKind.IN_RECORD,
              "krp",
              "size class (small, medium, large) of the KRP code"),
          new Helper(
              "krp_employees_min",
              DataTypes.LongType,
              RuleKind.IN_RECORD,
              "krp",
              "lower bound of the KRP code's employee band"),
          new Helper(
              "krp_employees_max",
              DataTypes.LongType,
              RuleKind.IN_RECORD,
              "krp",
              "upper bound of the KRP code's employee band (NULL: open band)"),
          new Helper(
              "kfs_valid",
              DataTypes.BooleanType,
              RuleKind.IN_RECORD,
              "kfs",
              "the KFS ownership code is in the KFS classifier"),
          new Helper(
              "kse_valid",
              DataTypes.BooleanType,
              RuleKind.IN_RECORD,
              "kse",
              "the KSE sector code is in the KSE classifier"));

  private final SurveyDefinitions survey;

  public HelperColumns(SurveyDefinitions survey) {
    this.survey = survey;
  }

  public static Optional<Helper> helper(String name) {
    return ALL.stream().filter(h -> h.name().equals(name)).findFirst();
  }

  /** The canonical item a helper source stands for, if items.yaml has one. */
  public Optional<Item> sourceItem(String source) {
    return survey.items().values().stream()
        .filter(
            i ->
                "id".equals(source)
                    ? i.type() == ItemType.ID
                    : i.type() == ItemType.CODE && source.equals(i.classifier()))
        .findFirst();
  }

  /** The id of the BIN item (type id). */
  public String binItem() {
    return sourceItem("id")
        .map(Item::id)
        .orElseThrow(() -> new IllegalStateException("items.yaml has no item of type id"));
  }

  private String yearItem() {
    return survey.items().values().stream()
        .filter(i -> i.type() == ItemType.YEAR)
        .map(Item::id)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("items.yaml has no item of type year"));
  }

  /**
   * The canonical items behind a column a rule uses: the item itself, the item a helper is computed
   * from, or the item of a {@code prev_} column. Empty for lineage columns.
   */
  public Set<String> itemsBehind(String column) {
    if (survey.items().containsKey(column)) return Set.of(column);
    if (column.startsWith(PREV)) {
      String item = column.substring(PREV.length());
      if (survey.items().containsKey(item)) return Set.of(item);
    }
    return helper(column)
        .flatMap(h -> sourceItem(h.source()))
        .map(i -> Set.of(i.id()))
        .orElse(Set.of());
  }

  /** The kind a column forces on a rule (prev_ columns: cross-year). */
  public static RuleKind kindOf(String column) {
    if (column.startsWith(PREV) && !column.equals("prev_found")) return RuleKind.CROSS_YEAR;
    return helper(column).map(Helper::kind).orElse(RuleKind.IN_RECORD);
  }

  /** Every column a rule may name: canonical items, lineage, helpers, prev_ of every item. */
  public StructType typingSchema() {
    List<StructField> f = new ArrayList<>();
    for (Item i : survey.items().values()) {
      f.add(DataTypes.createStructField(i.id(), i.type().sparkType(), true));
    }
    LINEAGE.forEach((k, v) -> f.add(DataTypes.createStructField(k, v, true)));
    for (Helper h : ALL) f.add(DataTypes.createStructField(h.name(), h.type(), true));
    for (Item i : survey.items().values()) {
      if (i.type() == ItemType.ID || i.type() == ItemType.YEAR) continue;
      f.add(DataTypes.createStructField(PREV + i.id(), i.type().sparkType(), true));
    }
    return DataTypes.createStructType(f);
  }

  private static final int[] W1 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  private static final int[] W2 = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};

  /** (sum of digit_i * w_i, i = 1..11) mod 11 over the text column {@code c}, in Spark SQL. */
  static String binSum(String c, int[] w) {
    StringBuilder s = new StringBuilder("pmod(");
    for (int i = 1; i <= 11; i++) {
      s.append(i > 1 ? " + " : "")
          .append("(ascii(substring(")
          .append(c)
          .append(", ")
          .append(i)
          .append(", 1)) - 48) * ")
          .append(w[i - 1]);
    }
    return s.append(", 11)").toString();
  }

  /** The BIN check digit as a Spark SQL boolean over {@code c} (no UDF). */
  public static String binCheckSql(String c) {
    return binCheckSql(c, binSum(c, W1), binSum(c, W2));
  }

  /**
   * The check: 12 digits, and the 12th digit equals s1 = (sum d_i * i) mod 11, or, when s1 is 10,
   * s2 = (sum d_i * w_i) mod 11 with weights 3..11,1,2; invalid when s2 is 10 too.
   */
  static String binCheckSql(String c, String s1, String s2) {
    String d12 = "(ascii(substring(" + c + ", 12, 1)) - 48)";
    return "CASE WHEN "
        + c
        + " IS NULL THEN NULL WHEN NOT ("
        + c
        + " RLIKE '^[0-9]{12}$') THEN false WHEN "
        + s1
        + " <> 10 THEN "
        + s1
        + " = "
        + d12
        + " WHEN "
        + s2
        + " <> 10 THEN "
        + s2
        + " = "
        + d12
        + " ELSE false END";
  }

  /** KATO region prefixes valid in {@code year}: valid_from year <= year <= valid_to year. */
  List<String> katoRegions(int year) {
    List<String> out = new ArrayList<>();
    for (Map<String, String> r : survey.classifier("kato_regions").rows()) {
      int from = yearOf(r.get("valid_from"), Integer.MIN_VALUE);
      int to = yearOf(r.get("valid_to"), Integer.MAX_VALUE);
      if (from <= year && year <= to) out.add(r.get("kato_ab"));
    }
    return out;
  }

  /**
   * KATO prefixes retired before {@code year}: moved to a successor region by a reform that took
   * effect in an earlier year (in the reform year itself both codes are accepted).
   */
  List<String> katoRetired(int year) {
    List<String> out = new ArrayList<>();
    for (Map<String, String> r : survey.classifier("kato_succession").rows()) {
      if (yearOf(r.get("valid_from"), Integer.MAX_VALUE) < year) out.add(r.get("from_prefix"));
    }
    return out;
  }

  private static int yearOf(String date, int ifEmpty) {
    if (date == null || date.isBlank()) return ifEmpty;
    return Integer.parseInt(date.strip().substring(0, 4));
  }

  /**
   * Adds the helper columns in {@code needed} (and the {@code prev_} columns named there) to the
   * records of {@code years}, all years in one plan: the window count is taken over (year, BIN),
   * the sample and the previous year's responses are joined on (year, BIN) (the previous year's
   * rows keyed by year + 1), so the three share one shuffle; code validity comes from broadcast
   * joins with the classifiers and, for KATO, from an expression over the year. {@code catalog}
   * gives core.sample and core.responses (null: no sample, no previous year).
   */
  public Dataset<Row> add(
      Dataset<Row> records, Collection<Integer> years, Set<String> needed, TableCatalog catalog) {
    SparkSession spark = records.sparkSession();
    Dataset<Row> df = records;
    String bin = binItem();
    String year = yearItem();
    if (needed.contains("bin_check_ok")) {
      df =
          df.withColumn("__bin_s1", expr(binSum(bin, W1)))
              .withColumn("__bin_s2", expr(binSum(bin, W2)))
              .withColumn("bin_check_ok", expr(binCheckSql(bin, "__bin_s1", "__bin_s2")))
              .drop("__bin_s1", "__bin_s2");
    }
    if (needed.contains("bin_count")) {
      Column n =
          org.apache
              .spark
              .sql
              .functions
              .count(lit(1))
              .over(Window.partitionBy(col(year), col(bin)));
      df = df.withColumn("bin_count", org.apache.spark.sql.functions.when(col(bin).isNotNull(), n));
    }
    if (needed.contains("in_sample")) df = addInSample(df, years, year, bin, catalog);
    Set<String> prev =
        needed.stream()
            .filter(c -> c.startsWith(PREV) && !c.equals("prev_found"))
            .collect(Collectors.toCollection(LinkedHashSet::new));
    if (!prev.isEmpty() || needed.contains("prev_found")) {
      df = addPrevious(df, years, year, bin, prev, catalog);
    }
    if (needed.stream().anyMatch(c -> c.startsWith("kato_"))) df = addKato(df, year);
    if (needed.stream().anyMatch(c -> c.startsWith("oked_"))) df = addOked(df, spark);
    if (needed.stream().anyMatch(c -> c.startsWith("krp_"))) df = addKrp(df, spark);
    if (needed.contains("kfs_valid")) df = addMembership(df, "kfs", "kfs_code", spark);
    if (needed.contains("kse_valid")) df = addMembership(df, "kse", "kse_code", spark);
    return df;
  }

  private static String inList(Collection<Integer> years) {
    return years.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  /**
   * in_sample: NULL for a NULL BIN and in a year without any sample, else whether (year, BIN) is in
   * core.sample.
   */
  private Dataset<Row> addInSample(
      Dataset<Row> df, Collection<Integer> years, String year, String bin, TableCatalog catalog) {
    if (catalog == null || !catalog.exists("core.sample") || years.isEmpty()) {
      return df.withColumn("in_sample", lit(null).cast("boolean"));
    }
    Dataset<Row> sample =
        catalog
            .read("core.sample")
            .where(col(year).isin(years.toArray()))
            .select(col(year), col(bin));
    List<Integer> sampled =
        sample.select(col(year)).distinct().collectAsList().stream()
            .map(r -> ((Number) r.get(0)).intValue())
            .sorted()
            .toList();
    if (sampled.isEmpty()) return df.withColumn("in_sample", lit(null).cast("boolean"));
    Dataset<Row> s =
        sample
            .select(col(year).alias("__s_year"), col(bin).alias("__s_bin"))
            .distinct()
            .withColumn("__s_in", lit(true));
    return df.join(
            s,
            df.col(year).equalTo(s.col("__s_year")).and(df.col(bin).equalTo(s.col("__s_bin"))),
            "left")
        .withColumn(
            "in_sample",
            expr(
                "CASE WHEN "
                    + bin
                    + " IS NULL OR NOT ("
                    + year
                    + " IN ("
                    + inList(sampled)
                    + ")) THEN NULL ELSE coalesce(__s_in, false) END"))
        .drop("__s_year", "__s_bin", "__s_in");
  }

  private Dataset<Row> addPrevious(
      Dataset<Row> df,
      Collection<Integer> years,
      String year,
      String bin,
      Set<String> prevCols,
      TableCatalog catalog) {
    Dataset<Row> p = null;
    if (catalog != null && catalog.exists("core.responses") && !years.isEmpty()) {
      List<Integer> before = years.stream().map(y -> y - 1).toList();
      p = catalog.read("core.responses").where(col(year).isin(before.toArray()));
    }
    if (p == null) {
      for (String c : prevCols) {
        String item = c.substring(PREV.length());
        df = df.withColumn(c, lit(null).cast(survey.item(item).type().sparkType()));
      }
      return df.withColumn("prev_found", lit(false));
    }
    List<Column> aggs = new ArrayList<>();
    for (String c : prevCols) aggs.add(first(col(c.substring(PREV.length())), true).alias(c));
    aggs.add(lit(true).alias("__p_found"));
    Dataset<Row> g =
        p.where(col(bin).isNotNull())
            .groupBy(col(year).plus(1).alias("__p_year"), col(bin).alias("__p_bin"))
            .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    return df.join(
            g,
            df.col(year).equalTo(g.col("__p_year")).and(df.col(bin).equalTo(g.col("__p_bin"))),
            "left")
        .withColumn("prev_found", expr("coalesce(__p_found, false)"))
        .drop("__p_year", "__p_bin", "__p_found");
  }

  /**
   * kato_region and kato_valid for records of any year: the region prefix must be valid in the
   * record's year (classifier valid_from/valid_to years) and the code must not start with a prefix
   * retired before that year, both written as one expression over the year column.
   */
  private Dataset<Row> addKato(Dataset<Row> df, String year) {
    String kato = itemFor("kato");
    return df.withColumn("kato_region", expr("substring(" + kato + ", 1, 2)"))
        .withColumn(
            "kato_valid",
            expr(
                "CASE WHEN "
                    + kato
                    + " IS NULL THEN NULL ELSE ("
                    + kato
                    + " RLIKE '^[0-9]{9}$') AND "
                    + katoRegionValidSql("kato_region", year)
                    + " AND NOT "
                    + katoRetiredSql(kato, year)
                    + " END"));
  }

  /**
   * Whether the region prefix in {@code region} exists in the year in {@code year}: a CASE over the
   * prefixes of kato_regions.csv, each TRUE when valid_from year &lt;= year &lt;= valid_to year.
   */
  String katoRegionValidSql(String region, String year) {
    Map<String, List<String>> spans = new LinkedHashMap<>();
    for (Map<String, String> r : survey.classifier("kato_regions").rows()) {
      int from = yearOf(r.get("valid_from"), Integer.MIN_VALUE);
      int to = yearOf(r.get("valid_to"), Integer.MAX_VALUE);
      List<String> c = new ArrayList<>();
      if (from != Integer.MIN_VALUE) c.add(year + " >= " + from);
      if (to != Integer.MAX_VALUE) c.add(year + " <= " + to);
      spans
          .computeIfAbsent(r.get("kato_ab"), k -> new ArrayList<>())
          .add(c.isEmpty() ? "true" : "(" + String.join(" AND ", c) + ")");
    }
    if (spans.isEmpty()) return "false";
    StringBuilder b = new StringBuilder("coalesce(CASE ").append(region);
    spans.forEach(
        (ab, c) -> b.append(" WHEN '").append(ab).append("' THEN ").append(String.join(" OR ", c)));
    return b.append(" ELSE false END, false)").toString();
  }

  /** Whether {@code kato} starts with a prefix retired before the year in {@code year}. */
  String katoRetiredSql(String kato, String year) {
    List<String> c = new ArrayList<>();
    for (Map<String, String> r : survey.classifier("kato_succession").rows()) {
      int from = yearOf(r.get("valid_from"), Integer.MAX_VALUE);
      if (from == Integer.MAX_VALUE) continue;
      c.add(
          "("
              + year
              + " > "
              + from
              + " AND startswith("
              + kato
              + ", '"
              + r.get("from_prefix")
              + "'))");
    }
    return c.isEmpty() ? "false" : "coalesce(" + String.join(" OR ", c) + ", false)";
  }

  private Dataset<Row> addOked(Dataset<Row> df, SparkSession spark) {
    String oked = itemFor("oked");
    Classifier c = survey.classifier("oked");
    StructType st =
        DataTypes.createStructType(
            List.of(
                DataTypes.createStructField("__o_code", DataTypes.StringType, false),
                DataTypes.createStructField("__o_section", DataTypes.StringType, true)));
    List<Row> rows =
        c.rows().stream()
            .map(r -> RowFactory.create(r.get("oked_code"), r.get("section")))
            .toList();
    Dataset<Row> ref = broadcast(spark.createDataFrame(rows, st));
    return df.join(ref, df.col(oked).equalTo(ref.col("__o_code")), "left")
        .withColumn(
            "oked_valid",
            expr("CASE WHEN " + oked + " IS NULL THEN NULL ELSE __o_code IS NOT NULL END"))
        .withColumn("oked_section", col("__o_section"))
        .withColumn(
            "oked_in_scope",
            expr(
                "CASE WHEN "
                    + oked
                    + " IS NULL THEN NULL ELSE __o_code IS NOT NULL AND "
                    + survey.design().okedScopeSql(oked)
                    + " END"))
        .drop("__o_code", "__o_section");
  }

  private Dataset<Row> addKrp(Dataset<Row> df, SparkSession spark) {
    String krp = itemFor("krp");
    StructType st =
        DataTypes.createStructType(
            List.of(
                DataTypes.createStructField("__r_code", DataTypes.StringType, false),
                DataTypes.createStructField("__r_class", DataTypes.StringType, true),
                DataTypes.createStructField("__r_min", DataTypes.LongType, true),
                DataTypes.createStructField("__r_max", DataTypes.LongType, true)));
    List<Row> rows =
        survey.classifier("krp").rows().stream()
            .map(
                r ->
                    RowFactory.create(
                        r.get("krp_code"),
                        r.get("size_class"),
                        parseLong(r.get("employees_min")),
                        parseLong(r.get("employees_max"))))
            .toList();
    Dataset<Row> ref = broadcast(spark.createDataFrame(rows, st));
    return df.join(ref, df.col(krp).equalTo(ref.col("__r_code")), "left")
        .withColumn(
            "krp_valid",
            expr("CASE WHEN " + krp + " IS NULL THEN NULL ELSE __r_code IS NOT NULL END"))
        .withColumn("krp_size_class", col("__r_class"))
        .withColumn("krp_employees_min", col("__r_min"))
        .withColumn("krp_employees_max", col("__r_max"))
        .drop("__r_code", "__r_class", "__r_min", "__r_max");
  }

  private Dataset<Row> addMembership(
      Dataset<Row> df, String classifier, String codeColumn, SparkSession spark) {
    String item = itemFor(classifier);
    String key = "__m_" + classifier;
    StructType st =
        DataTypes.createStructType(
            List.of(DataTypes.createStructField(key, DataTypes.StringType, false)));
    List<Row> rows =
        survey.classifier(classifier).column(codeColumn).stream()
            .map(v -> RowFactory.create(v))
            .toList();
    Dataset<Row> ref = broadcast(spark.createDataFrame(rows, st));
    return df.join(ref, df.col(item).equalTo(ref.col(key)), "left")
        .withColumn(
            classifier + "_valid",
            expr("CASE WHEN " + item + " IS NULL THEN NULL ELSE " + key + " IS NOT NULL END"))
        .drop(key);
  }

  private String itemFor(String classifier) {
    return sourceItem(classifier)
        .map(Item::id)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "items.yaml has no code item with classifier " + classifier));
  }

  private static Long parseLong(String s) {
    return s == null || s.isBlank() ? null : Long.valueOf(s.strip());
  }

  /** Documentation rows: name, type, meaning (for the README and `ictstat controls --helpers`). */
  public static Map<String, String> documentation() {
    Map<String, String> m = new LinkedHashMap<>();
    for (Helper h : ALL) m.put(h.name() + " (" + h.type().simpleString() + ")", h.meaning());
    m.put(
        PREV + "<item> (type of the item)",
        "value of <item> for the same BIN in the previous year's core.responses (NULL if absent)");
    return m;
  }
}
