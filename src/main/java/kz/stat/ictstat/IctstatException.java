package kz.stat.ictstat;

/**
 * A failure a user can act on: what failed, why, and how to fix it, with the actual values.
 *
 * <p>The CLI prints {@link #getMessage()} as one line and exits with {@link #exitCode()} (2 for a
 * usage or configuration mistake, 1 for a run that failed on its data); no stack trace unless
 * {@code --verbose}. All user-facing errors are created through the factory methods here, so the
 * wording stays uniform.
 */
public class IctstatException extends RuntimeException {
  public static final int RUN_FAILED = 1;
  public static final int USAGE = 2;

  private final int exitCode;

  private IctstatException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  /** A usage or configuration mistake: exit code 2. */
  public static IctstatException usage(String problem, String fix) {
    return new IctstatException(USAGE, join(problem, fix), null);
  }

  /** A run that failed on its input or state: exit code 1. */
  public static IctstatException runFailed(String problem, String fix) {
    return new IctstatException(RUN_FAILED, join(problem, fix), null);
  }

  public static IctstatException runFailed(String problem, String fix, Throwable cause) {
    return new IctstatException(RUN_FAILED, join(problem, fix), cause);
  }

  public static IctstatException missingFile(String what, java.nio.file.Path path, String fix) {
    return usage(what + " not found: " + path.toAbsolutePath().normalize(), fix);
  }

  public static IctstatException unknownTable(String name, java.util.Collection<String> known) {
    return usage(
        "unknown table '" + name + "'",
        "use one of " + String.join(", ", new java.util.TreeSet<>(known)));
  }

  private static String join(String problem, String fix) {
    return fix == null || fix.isBlank() ? problem : problem + "; " + fix;
  }
}
