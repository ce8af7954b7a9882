package kz.stat.ictstat.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.notebook.NotebookRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "notebooks",
    description =
        "Execute the analyst notebooks against the warehouse and store their outputs in them.")
final class NotebooksCommand extends BaseCommand {
  @Parameters(
      paramLabel = "NOTEBOOK",
      arity = "0..*",
      description = "notebooks to run (default: every .ipynb in notebooks/ of the installation)")
  List<Path> notebooks;

  @Override
  protected int execute(Context ctx) throws IOException {
    List<Path> todo = notebooks;
    if (todo == null || todo.isEmpty()) {
      Path dir = Path.of(System.getProperty("ictstat.home", ".")).resolve("notebooks");
      try (Stream<Path> s = Files.list(dir)) {
        todo = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
      }
    }
    try (NotebookRunner runner = new NotebookRunner(ctx.spark(), ctx.catalog())) {
      for (Path nb : todo) {
        if (!Files.exists(nb)) {
          throw IctstatException.missingFile("notebook", nb, "give the path of an .ipynb file");
        }
        int cells = runner.run(nb);
        ctx.out().printf("  notebook   %-48s %3d cells executed%n", nb.getFileName(), cells);
      }
    }
    return 0;
  }
}
