package kz.stat.ictstat.ingest;

import java.util.List;

/**
 * What an ingest run did.
 *
 * @param ingested the years written (replaced) by this run
 * @param unchanged the years skipped because every file has the checksum of the last ingest
 * @param files one reconciliation per ingested file
 */
public record IngestResult(
    List<Integer> ingested, List<Integer> unchanged, List<FileReport> files, double seconds) {
  public IngestResult {
    ingested = List.copyOf(ingested);
    unchanged = List.copyOf(unchanged);
    files = List.copyOf(files);
  }

  public long rowsRead() {
    return files.stream().mapToLong(FileReport::rowsRead).sum();
  }

  public long accepted() {
    return files.stream().mapToLong(FileReport::accepted).sum();
  }

  public long quarantined() {
    return files.stream().mapToLong(FileReport::quarantined).sum();
  }

  /** The report of one file by its name relative to the input folder. */
  public FileReport file(String name) {
    return files.stream()
        .filter(f -> f.file().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no report for " + name + " in " + files));
  }
}
