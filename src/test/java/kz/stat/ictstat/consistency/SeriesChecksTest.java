package kz.stat.ictstat.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Breaks registry and macro checks on hand-built series whose expected flags are known. */
@SparkTest
class SeriesChecksTest {
  static final SurveyDefinitions SURVEY = SurveyLoader.load(Path.of("conf"));
  static final ConsistencyConfig CONF = ConsistencyConfig.load(Path.of("conf"));

  static final StructType EST =
      new StructType()
          .add("year", DataTypes.IntegerType)
          .add("indicator", DataTypes.StringType)
          .add("domain_type", DataTypes.StringType)
          .add("domain_code", DataTypes.StringType)
          .add("estimate", DataTypes.DoubleType)
          .add("se", DataTypes.DoubleType);

  @Test
  void formVersionBreaksAreDerivedFromTheForms() {
    Breaks b = Breaks.resolve(SURVEY, CONF);
    Map<String, Breaks.Break> byId = new HashMap<>();
    for (Breaks.Break x : b.breaks()) byId.put(x.id(), x);
    // conf/forms: v2004 2004-2006, v2007 from 2007, v2015 from 2015, v2020, v2022
    assertEquals(2007, byId.get("form_v2007").year());
    assertEquals(2015, byId.get("form_v2015").year());
    assertEquals(2020, byId.get("form_v2020").year());
    assertEquals(2022, byId.get("form_v2022").year());
    assertFalse(byId.containsKey("form_v2004"), "the first version is no break");
    assertTrue(byId.get("form_v2015").introduced().contains("uses_cloud"));
    assertTrue(byId.get("form_v2015").dropped().contains("internet_dialup"));
    assertEquals(2018, byId.get("kato_2018").year());
    assertEquals(2022, byId.get("kato_2022").year());
    // KATO 2018 touches regions 51, 61, 79 (succession rows of 2018-06-19) and no others
    Set<String> codes = new java.util.TreeSet<>();
    for (Breaks.Rule r : b.rules()) {
      if (r.breakId().equals("kato_2018") && r.domainType().equals("region")) codes.add(r.code());
    }
    assertEquals(Set.of("51", "61", "79"), codes);
    // v2015 redefined internet_fixed_broadband: its share gets b in 2015, cloud (new) does not
    assertTrue(
        b.rules().stream()
            .anyMatch(
                r ->
                    r.breakId().equals("form_v2015")
                        && "share_internet_fixed_broadband".equals(r.indicator())));
    assertTrue(
        b.rules().stream()
            .noneMatch(r -> r.breakId().equals("form_v2015") && "computers".equals(r.indicator())));
  }

  @Test
  void unknownRedefinedItemIsReportedWithItsVersion(@TempDir Path dir) throws Exception {
    for (String f : List.of("breaks.yaml", "editing.yaml")) {
      Files.copy(Path.of("conf", f), dir.resolve(f));
    }
    Files.writeString(
        dir.resolve("breaks.yaml"),
        Files.readString(dir.resolve("breaks.yaml"))
            .replace("v2022: []", "v2022: [uses_cloud, no_such_item]"));
    ConsistencyConfig c = ConsistencyConfig.load(dir);
    IctstatException e = assertThrows(IctstatException.class, () -> Breaks.resolve(SURVEY, c));
    assertTrue(e.getMessage().contains("v2022 lists 'no_such_item'"), e.getMessage());
    assertFalse(e.getMessage().contains("'uses_cloud'"), e.getMessage());
  }

  @Test
  void jumpBreakAndZScoreOnHandBuiltSeries(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (int y = 2004; y <= 2024; y++) {
      // computers: smooth trend +1/year with ±0.1 wiggle, level shift +10 from 2015
      double wiggle = (y % 2 == 0) ? 0.1 : -0.1;
      double v = 100 + (y - 2004) + wiggle + (y >= 2015 ? 10 : 0);
      rows.add(RowFactory.create(y, "computers", "total", "_T", v, 0.5));
      // the same smooth series in region 51 (South Kazakhstan) and 75: a break only for 51 in 2018
      double r = 50 + 0.5 * (y - 2004) + wiggle;
      if (y <= 2017) rows.add(RowFactory.create(y, "computers", "region", "51", r, 0.2));
      rows.add(RowFactory.create(y, "computers", "region", "75", r, 0.2));
      rows.add(RowFactory.create(y, "computers", "region_section", "51|C", r, 0.2));
    }
    // region 51 gets a (hypothetical) 2018 value to cross the break
    rows.add(RowFactory.create(2018, "computers", "region", "51", 80.0, 0.2));
    // hand example for z: 10 -> 12 with se 1 and 1: se(d) = sqrt 2, z = 2 / sqrt 2
    rows.add(RowFactory.create(2010, "ict_costs", "size", "small", 10.0, 1.0));
    rows.add(RowFactory.create(2011, "ict_costs", "size", "small", 12.0, 1.0));
    // a gap (2013 missing): 2014 has no change
    rows.add(RowFactory.create(2014, "ict_costs", "size", "small", 13.0, 1.0));
    Dataset<Row> est = spark.createDataFrame(rows, EST);
    Map<String, Row> out = new HashMap<>();
    for (Row r :
        SeriesChecks.run(spark, est, Breaks.resolve(SURVEY, CONF), CONF.series()).collectAsList()) {
      out.put(
          r.getAs("indicator")
              + "/"
              + r.getAs("domain_type")
              + "/"
              + r.getAs("domain_code")
              + "/"
              + r.getAs("year"),
          r);
    }
    assertEquals(SeriesChecks.COLUMNS, List.of(out.values().iterator().next().schema().names()));
    // the level shift is the only outlier of the national series
    for (int y = 2005; y <= 2024; y++) {
      Row r = out.get("computers/total/_T/" + y);
      assertEquals(
          y == 2015, r.getAs("flag_outlier"), "year " + y + ": " + r.<String>getAs("reasons"));
      assertFalse((Boolean) r.getAs("flag_break"), "computers has no redefined item");
    }
    assertTrue(
        ((String) out.get("computers/total/_T/2015").getAs("reasons")).startsWith("outlier"));
    assertNull(out.get("computers/total/_T/2004").getAs("change"));
    // region 51 crosses the KATO 2018 reform: b, and its jump is not called an outlier
    Row r51 = out.get("computers/region/51/2018");
    assertTrue((Boolean) r51.getAs("flag_break"));
    assertFalse((Boolean) r51.getAs("flag_outlier"));
    String why = r51.getAs("reasons");
    assertTrue(why.contains("b:kato_2018"), why);
    assertTrue(why.contains("jump_at_break"), why);
    assertTrue((Boolean) out.get("computers/region_section/51|C/2018").getAs("flag_break"));
    assertFalse((Boolean) out.get("computers/region/75/2018").getAs("flag_break"));
    assertFalse((Boolean) out.get("computers/region/75/2018").getAs("flag_outlier"));
    // z by hand
    Row c = out.get("ict_costs/size/small/2011");
    assertEquals(2.0, (Double) c.getAs("change"), 1e-12);
    assertEquals(Math.sqrt(2), (Double) c.getAs("se_change"), 1e-12);
    assertEquals(2 / Math.sqrt(2), (Double) c.getAs("z"), 1e-12);
    Row gap = out.get("ict_costs/size/small/2014");
    assertNull(gap.getAs("change"));
    assertTrue(((String) gap.getAs("reasons")).contains("gap: previous estimate 2011"));
  }
}
