package kz.stat.ictstat.survey;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders {@code docs/data-dictionary.md} from the survey definitions, so the document can never
 * drift from {@code conf/} (a test compares the committed file with this rendering).
 */
public final class DataDictionary {
  private DataDictionary() {}

  public static String markdown(SurveyDefinitions s) {
    StringBuilder b = new StringBuilder();
    b.append("# Data dictionary\n\n")
        .append("Generated from `conf/` by `bin/ictstat ref --dictionary docs/data-dictionary.md`;")
        .append(" a test fails when this file and the configuration disagree.\n\n");

    b.append("## Canonical items (`conf/items.yaml`, columns of `core.responses`)\n\n")
        .append(
            "| item | type | unit / classifier | years | Eurostat | label (en) | label (ru) |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (Item i : s.items().values()) {
      b.append("| `")
          .append(i.id())
          .append("` | ")
          .append(i.type().name().toLowerCase(java.util.Locale.ROOT))
          .append(" | ")
          .append(nz(i.unit() != null ? i.unit() : i.classifier()))
          .append(" | ")
          .append(i.since())
          .append("–")
          .append(i.until() == null ? "" : i.until())
          .append(" | ")
          .append(nz(i.eurostat()))
          .append(" | ")
          .append(i.labels().get("en"))
          .append(" | ")
          .append(i.labels().get("ru"))
          .append(" |\n");
    }

    b.append("\n## Form versions (`conf/forms/`)\n\n")
        .append("| version | years | columns | what changed |\n|---|---|---|---|\n");
    for (FormVersion f : s.forms()) {
      b.append("| ")
          .append(f.version())
          .append(" | ")
          .append(f.years())
          .append(" | ")
          .append(f.columns().size())
          .append(" | ")
          .append(nz(f.description()))
          .append(" |\n");
    }
    b.append("\nRaw column code of each item by version (empty: not asked that year):\n\n| item |");
    for (FormVersion f : s.forms()) b.append(' ').append(f.version()).append(" |");
    b.append("\n|---|").append("---|".repeat(s.forms().size())).append('\n');
    for (Item i : s.items().values()) {
      b.append("| `").append(i.id()).append("` |");
      for (FormVersion f : s.forms())
        b.append(' ').append(f.codeOf(i.id()).orElse("")).append(" |");
      b.append('\n');
    }

    b.append("\n## Indicators (`conf/indicators.yaml`)\n\n")
        .append(
            "| indicator | kind | numerator | denominator | population | unit | years | Eurostat | headline |\n")
        .append("|---|---|---|---|---|---|---|---|---|\n");
    for (Indicator i : s.indicators()) {
      b.append("| `")
          .append(i.id())
          .append("` | ")
          .append(i.kind().name().toLowerCase(java.util.Locale.ROOT))
          .append(" | `")
          .append(i.numerator().replace("|", "\\|"))
          .append("` | ")
          .append(i.denominatorSql() == null ? "" : "`" + i.denominatorSql() + "`")
          .append(" | ")
          .append(i.population() == null ? "all" : "`" + i.population() + "`")
          .append(" | ")
          .append(i.unit())
          .append(" | ")
          .append(i.firstYear())
          .append("–")
          .append(i.lastYear() == null ? "" : i.lastYear())
          .append(" | ")
          .append(nz(i.eurostat()))
          .append(" | ")
          .append(i.headline() ? "yes" : "")
          .append(" |\n");
    }

    b.append("\n## Domains (`conf/domains.yaml`)\n\n| domain | by | label (en) |\n|---|---|---|\n");
    List<Domain> domains = new ArrayList<>(s.domains());
    s.comparableTerritory().ifPresent(domains::add);
    for (Domain d : domains) {
      b.append("| `")
          .append(d.id())
          .append("` | ")
          .append(d.by().isEmpty() ? "(total)" : String.join(" × ", d.by()))
          .append(" | ")
          .append(d.labels().en())
          .append(" |\n");
    }

    SampleDesign d = s.design();
    b.append("\n## Sample design (`conf/design.yaml`)\n\n")
        .append("- strata: ")
        .append(String.join(" × ", d.strata()))
        .append('\n')
        .append("- sampling rates: ")
        .append(
            d.samplingRates().entrySet().stream()
                .map(Map.Entry::toString)
                .collect(Collectors.joining(", ")))
        .append(" (1.0 = take-all)\n")
        .append("- at least ")
        .append(d.minSamplePerStratum())
        .append(" units per sampled stratum; rotation ")
        .append(d.rotation())
        .append(" per year; single-unit strata: ")
        .append(d.lonelyStrata().name().toLowerCase(java.util.Locale.ROOT))
        .append('\n')
        .append("- in scope: activity status ")
        .append(d.activityStatus())
        .append(", OKED codes starting with ")
        .append(String.join(", ", d.okedScope()))
        .append('\n');

    b.append(
        "\n## Classifiers (`conf/classifiers/`, tables `ref.<name>`)\n\n| classifier | rows | columns |\n|---|---|---|\n");
    for (Classifier c : s.classifiers().values()) {
      b.append("| ")
          .append(c.name())
          .append(" | ")
          .append(c.rows().size())
          .append(" | ")
          .append(String.join(", ", c.header()))
          .append(" |\n");
    }
    return b.toString();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
