package io.dualrank;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dualrank.data.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real datasets beside the repository; tests that need them are skipped, with a reason, without them. */
public final class SharedData {
  private SharedData() {}

  /** The data root ({@code $DUALRANK_DATA} or {@code ../shared/data}), or a skipped test when it is absent. */
  public static Path root() {
    Path root = Dataset.dataRoot(null);
    assumeTrue(Files.isDirectory(root.resolve("msmarco-dl")) && Files.isDirectory(root.resolve("scifact")),
        "shared data not found at " + root.toAbsolutePath().normalize()
            + " (set " + Dataset.DATA_ROOT_ENV + "): skipping the tests on real data");
    return root;
  }
}
