package io.dualrank.data;

import io.dualrank.data.fetch.DataSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset's files are not under its data root. The message names the dataset, every missing file, and
 * for each file the {@code dualrank data fetch} command that gets it, or that none does (then the user
 * must bring it; the README says from where).
 */
public final class MissingDataException extends IllegalArgumentException {
  private final String dataset;
  private final List<String> missing;

  public MissingDataException(String dataset, Path root, List<String> missing) {
    super(message(dataset, root, missing));
    this.dataset = dataset;
    this.missing = List.copyOf(missing);
  }

  public String dataset() {
    return dataset;
  }

  /** The missing files, relative to the data root. */
  public List<String> missing() {
    return missing;
  }

  private static String message(String dataset, Path root, List<String> missing) {
    Path where = root.toAbsolutePath().normalize();
    Map<DataSource, List<String>> bySource = new LinkedHashMap<>();
    List<String> noSource = new ArrayList<>();
    for (String file : missing) {
      DataSource.covering(file).ifPresentOrElse(s -> bySource.computeIfAbsent(s, k -> new ArrayList<>()).add(file),
          () -> noSource.add(file));
    }
    StringBuilder m = new StringBuilder("dataset " + dataset + ": " + missing.size() + " file"
        + (missing.size() == 1 ? "" : "s") + " missing under the data root " + where + ": " + String.join(", ", missing));
    bySource.forEach((source, files) -> m.append("\n  `dualrank data fetch ").append(source.name()).append(" --data ")
        .append(where).append("` gets ").append(files.size() == missing.size() ? "them" : String.join(", ", files)));
    if (!noSource.isEmpty()) {
      m.append("\n  no `dualrank data fetch` gets ").append(String.join(", ", noSource))
          .append(": bring them yourself (README, section Data, says from where), or give another root with --data");
    }
    return m.toString();
  }
}
