package kz.stat.ictstat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @Test
  void precedenceIsCommandLineThenEnvironmentThenFileThenDefault(@TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(
        f, "years: 2010-2012\nseed: 7\nscale: 3\nspark:\n  sql.shuffle.partitions: 5\n");
    JobConfig c =
        ConfigLoader.load(
            f, true, Map.of("ICTSTAT_SEED", "8", "ICTSTAT_SCALE", "4"), Map.of("scale", "5"));
    assertEquals(new YearRange(2010, 2012), c.years()); // file
    assertEquals(8L, c.seed()); // environment over file
    assertEquals(5.0, c.scale()); // command line over environment
    assertEquals(Path.of("./output"), c.outputDir()); // default
    assertEquals("5", c.sparkConf().get("spark.sql.shuffle.partitions"));
    assertEquals("environment ICTSTAT_SEED", c.sources().get("seed"));
  }

  @Test
  void closestKeyByEditDistance() {
    assertEquals("survey.dir", Settings.closest("survey_dir"));
    assertEquals(3, Settings.editDistance("kitten", "sitting"));
  }
}
