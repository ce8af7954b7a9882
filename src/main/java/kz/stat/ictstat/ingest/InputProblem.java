package kz.stat.ictstat.ingest;

/**
 * Why an input file cannot be ingested at all (missing, empty, header only, unknown layout, binary,
 * another year's data).
 *
 * @param file the file or folder, as the user would type it
 * @param reason what is wrong, with the values found
 * @param fix what to do about it
 * @param usage true for a mistake in the command (missing folder or file: exit code 2), false for
 *     unusable content (exit code 1)
 */
public record InputProblem(String file, String reason, String fix, boolean usage) {
  @Override
  public String toString() {
    return file + ": " + reason;
  }
}
