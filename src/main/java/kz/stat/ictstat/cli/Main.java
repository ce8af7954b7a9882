package kz.stat.ictstat.cli;

import java.io.PrintWriter;
import kz.stat.ictstat.IctstatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: executes the command line and exits with its code. Nothing else. */
@Command(
    name = "ictstat",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "The annual survey \"Use of ICT in enterprises\" (form 3-inform), 2004 onwards, on Spark.",
    subcommands = {
      RunCommand.class,
      GenerateCommand.class,
      IngestCommand.class,
      SampleCommand.class,
      ControlsCommand.class,
      EstimateCommand.class,
      CheckSeriesCommand.class,
      PublishCommand.class,
      NotebooksCommand.class,
      RefCommand.class,
      SqlCommand.class,
      TablesCommand.class,
      ConfigCommand.class,
      picocli.CommandLine.HelpCommand.class
    },
    commandListHeading = "%nCommands:%n")
public final class Main implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (0 ok, 1 run failed, 2 usage/configuration). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** Runs a command line with its error stream captured (for tests and embedding). */
  public static int execute(PrintWriter err, String... args) {
    return commandLine().setErr(err).execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExitCodeExceptionMapper(
        e -> e instanceof IctstatException ie ? ie.exitCode() : IctstatException.RUN_FAILED);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          boolean verbose =
              parseResult.subcommand() != null
                  ? parseResult.subcommand().hasMatchedOption("--verbose")
                  : parseResult.hasMatchedOption("--verbose");
          PrintWriter err = commandLine.getErr();
          IctstatException ie = findCause(e);
          if (ie != null) {
            err.println("error: " + ie.getMessage());
          } else {
            err.println(
                "error: run failed: "
                    + e
                    + (verbose ? "" : " (rerun with --verbose for the stack trace)"));
          }
          if (verbose) e.printStackTrace(err);
          err.flush();
          return ie != null ? ie.exitCode() : IctstatException.RUN_FAILED;
        });
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          String hint = suggestion(ex);
          err.println(
              "error: "
                  + ex.getMessage()
                  + hint
                  + " (see `"
                  + ex.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help`)");
          err.flush();
          return IctstatException.USAGE;
        });
    return cl;
  }

  /** "did you mean" for an unknown subcommand or option, by edit distance. */
  private static String suggestion(CommandLine.ParameterException ex) {
    if (!(ex instanceof CommandLine.UnmatchedArgumentException u)) return "";
    if (!u.getSuggestions().isEmpty()) {
      return "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
    }
    for (String arg : u.getUnmatched()) {
      if (!arg.startsWith("-")) continue;
      String typed = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String best = null;
      int bestD = Integer.MAX_VALUE;
      for (String name : ex.getCommandLine().getCommandSpec().optionsMap().keySet()) {
        int d = kz.stat.ictstat.config.Settings.editDistance(typed, name);
        if (d < bestD) {
          bestD = d;
          best = name;
        }
      }
      if (best != null && bestD <= Math.max(2, typed.length() / 3)) {
        return "; did you mean " + best + "?";
      }
    }
    return "";
  }

  private static IctstatException findCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IctstatException ie) return ie;
    }
    return null;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {
        "ictstat "
            + (v == null ? "dev" : v)
            + " (Spark "
            + org.apache.spark.package$.MODULE$.SPARK_VERSION()
            + ")"
      };
    }
  }
}
