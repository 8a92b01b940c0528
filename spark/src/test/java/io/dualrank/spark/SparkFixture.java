package io.dualrank.spark;

import io.dualrank.model.Architecture;
import io.dualrank.model.Pooling;
import io.dualrank.model.PretrainedEncoder;
import io.dualrank.model.RankerConfig;
import io.dualrank.model.RankerModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import io.dualrank.util.AtomicFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/** The shared local Spark session and model directories of the tests. */
final class SparkFixture {
  /** Two cores; a failed task is tried at most twice (local[N, maxFailures]). */
  static final String MASTER = "local[2,2]";
  private static SparkSession spark;

  private SparkFixture() {}

  static synchronized SparkSession spark() {
    if (spark == null) {
      spark = SparkSession.builder().master(MASTER).appName("dualrank-spark-test")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4")
          .getOrCreate();
    }
    return spark;
  }

  /** Model directories of the tests, kept between runs (built once, renamed into place). */
  private static final Path MODELS = Path.of("target", "test-models").toAbsolutePath();

  /** The pre-trained MiniLM as a dual encoder (mean pooling, normalised), as `dualrank init` writes it. */
  static Path dualEncoder() throws IOException {
    return save(new RankerConfig(Architecture.DUAL_ENCODER, "all-minilm-l6-v2", "all-minilm-l6-v2",
        PretrainedEncoder.ALL_MINILM_L6_V2.config(), 32, 128, Pooling.MEAN, true, 0, true, 1f, false), MODELS.resolve("minilm-de"));
  }

  /** A cross-encoder on the pre-trained MiniLM body with a seeded random head. */
  static Path crossEncoder() throws IOException {
    return save(RankerConfig.crossEncoder("all-minilm-l6-v2", "all-minilm-l6-v2",
        PretrainedEncoder.ALL_MINILM_L6_V2.config(), 32, 128, Pooling.CLS), MODELS.resolve("minilm-ca"));
  }

  private static synchronized Path save(RankerConfig config, Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
      AtomicFiles.deleteRecursively(tmp);
      try (RankerModel model = RankerModel.create(config, 7)) {
        model.save(tmp);
      }
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    }
    return dir;
  }

  /** The first {@code n} lines of the shared SciFact file {@code name} copied to {@code file}; null when absent. */
  static Path scifact(String name, Path file, int n) throws IOException {
    Path corpus = Path.of("..", "..", "shared", "data", "scifact", name);
    if (!Files.isRegularFile(corpus)) {
      System.err.println("SciFact tests skipped: " + corpus.toAbsolutePath() + " is absent");
      return null;
    }
    try (var lines = Files.lines(corpus)) {
      return Files.write(file, lines.limit(n).toList());
    }
  }

  /**
   * A small BEIR corpus written to {@code file}: {@code n} documents about a few topics, every fifth one a
   * copy (other id, same title and text) of an earlier one, so that exact search meets tied scores.
   */
  static Path corpus(Path file, int n) throws IOException {
    String[] topics = {"dual encoders embed queries and documents separately",
      "cross-attention models score each query document pair jointly",
      "distillation trains a student from a teacher's scores",
      "approximate nearest neighbour search with hnsw graphs",
      "spark runs batch jobs across a cluster of executors"};
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int source = i % 5 == 4 ? i - 3 : i;
      String title = "Topic " + (source % topics.length);
      String text = topics[source % topics.length] + " (note " + source + ", " + "detail ".repeat(source % 7) + ")";
      lines.add(String.format(Locale.ROOT, "{\"_id\": \"d%03d\", \"title\": \"%s\", \"text\": \"%s\"}", i, title, text));
    }
    return Files.write(file, lines);
  }

  /** Queries about the corpus topics. */
  static Path queries(Path file) throws IOException {
    return Files.write(file, List.of(
        "{\"_id\": \"q1\", \"text\": \"how do dual encoders embed documents?\"}",
        "{\"_id\": \"q2\", \"text\": \"joint scoring with cross attention\"}",
        "{\"_id\": \"q3\", \"text\": \"teacher student distillation\"}",
        "{\"_id\": \"q4\", \"text\": \"hnsw nearest neighbour graph\"}",
        "{\"_id\": \"q5\", \"text\": \"cluster batch jobs\"}"));
  }
}
