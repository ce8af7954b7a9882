package kz.stat.ictstat.research;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.survey.ItemType;
import kz.stat.ictstat.survey.SurveyDefinitions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Writes {@code research.microdata}: the responses used in estimation, de-identified under the
 * Bureau's microdata-access rules (Law on State Statistics, art. 8). No BIN and no raw classifier
 * codes: a stable pseudonymous id (SHA-256 of the BIN with a secret salt kept in the confidential
 * part of the warehouse, so the same unit has the same id in every year and the id cannot be
 * recomputed from the public BIN registry), region instead of the 9-digit KATO, OKED section
 * instead of the 5-digit code, size class instead of the employee count, and the final weight.
 * Content items are kept as answered.
 */
public final class Research {
  public static final String TABLE = "research.microdata";

  private Research() {}

  public static long write(TableCatalog catalog, SurveyDefinitions survey, YearRange years) {
    String salt = salt(catalog);
    Dataset<Row> w = catalog.read("core.weights");
    Dataset<Row> r = catalog.read("core.responses");
    Dataset<Row> s =
        catalog
            .read("core.sample")
            .select("year", "bin", "region", "section", "size_class", "ownership");
    String where = "year >= " + years.first() + " AND year <= " + years.last();
    Dataset<Row> joined =
        r.where(where)
            .join(w.where(where).select("year", "bin", "final_weight"), toSeq("year", "bin"))
            .join(s.where(where), toSeq("year", "bin"));
    List<Column> cols = new java.util.ArrayList<>();
    cols.add(
        functions
            .sha2(functions.concat(functions.lit(salt), col("bin")), 256)
            .substr(1, 16)
            .as("unit_id"));
    cols.add(col("year"));
    for (String d : List.of("region", "section", "size_class", "ownership")) cols.add(col(d));
    for (var item : survey.contentItems()) {
      if (item.type() == ItemType.COUNT && "employees".equals(item.id()))
        continue; // coarsened: size_class
      cols.add(col(item.id()));
    }
    cols.add(col("final_weight"));
    Dataset<Row> out = joined.select(cols.toArray(Column[]::new));
    // one file per year, written by the task that holds the year: the joins before stay spread
    // over all tasks (coalesce(1) ran them in one task, on one core, whatever the volume)
    catalog.replaceWhere(TABLE, out.repartition(col("year")), where, "year");
    return catalog.read(TABLE).where(where).count();
  }

  private static scala.collection.immutable.Seq<String> toSeq(String... s) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(s)).toSeq();
  }

  /** The secret salt, created once per warehouse under core/ (never visible to analysts). */
  static String salt(TableCatalog catalog) {
    org.apache.hadoop.fs.Path p =
        new org.apache.hadoop.fs.Path(catalog.warehouse() + "/core/_research_salt");
    try {
      var fs = p.getFileSystem(catalog.spark().sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        try (var o = fs.create(p, false)) {
          o.write(HexFormat.of().formatHex(b).getBytes(StandardCharsets.UTF_8));
        }
      }
      try (var in = fs.open(p)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      }
    } catch (IOException e) {
      throw IctstatException.runFailed(
          "cannot read or create " + p + ": " + e.getMessage(), "check the warehouse permissions");
    }
  }
}
