package io.dualrank.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualrank.ToyDataset;
import io.dualrank.data.Dataset;
import io.dualrank.util.Checksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage cache is keyed by the data's contents: the same files under another data root reuse every
 * stage, changed files recompute every stage that reads them; trained models and the report name the files.
 */
class ReproductionCacheTest {
  @TempDir Path tmp;

  private static ExperimentConfig config(Path definition) {
    var teacher = new ExperimentConfig.Model(8, 24, "cls", false, 1, false, 2, 2, 2, 0, 1e-3f, 0.1f, null, false, 0, null, null,
        null, null, null);
    var student = new ExperimentConfig.Model(8, 24, "mean", false, 1, false, 2, 2, 2, 0, 1e-3f, 0.1f, null, false, 0, null, null,
        null, null, null);
    return new ExperimentConfig("toy", definition.toString(), 5, "dataset",
        new ExperimentConfig.Bm25(0.9f, 0.4f, "flat"), 6, 6, 0, 0, "random:1x16x2", teacher, student,
        List.of("onehot", "mse"), false, new ExperimentConfig.Distillation(1, 1, 0),
        new ExperimentConfig.Evaluation(2, 2, 6, 4),
        new ExperimentConfig.Capacity(List.of(1, 2), 2, 4, 5, 0.05, "mse"), List.of(), List.of(), List.of());
  }

  private ReproductionPipeline.Outcome reproduce(Path definition, Path root) throws IOException {
    return new ReproductionPipeline(config(definition), Dataset.load(definition, root), tmp.resolve("work"),
        "test").run();
  }

  @Test
  void stagesAreReusedForTheSameFilesAndRecomputedWhenAFileChanged() throws IOException {
    Path definition = ToyDataset.writeDefinition(tmp.resolve("toy.yaml"));
    Path first = ToyDataset.writeData(tmp.resolve("data-a"));
    ReproductionPipeline.Outcome made = reproduce(definition, first);
    int stages = made.stages().count();
    assertEquals(stages, made.stages().computed().size(), "a first run computes every stage");

    Path copy = ToyDataset.writeData(tmp.resolve("data-b"));
    assertEquals(List.of(), reproduce(definition, copy).stages().computed(),
        "the same files under another data root are the same data");

    Files.writeString(copy.resolve("toy/qrels.train.txt"), "q0 0 p0 1\nq1 0 p1 1\nq2 0 p2 1\nq3 0 p4 1\n");
    ReproductionPipeline.Outcome changed = reproduce(definition, copy);
    assertEquals(stages, changed.stages().computed().size(),
        "changed train qrels: every stage (all read them) is recomputed: " + changed.stages().computed());

    Path ca;
    try (Stream<Path> dirs = Files.list(tmp.resolve("work/toy"))) {
      ca = dirs.filter(p -> p.getFileName().toString().startsWith("ca-")).sorted().findFirst().orElseThrow();
    }
    JsonNode data = new ObjectMapper().readTree(ca.resolve("provenance.json").toFile()).get("data");
    assertEquals("toy", data.get("dataset").asText());
    JsonNode corpus = data.get("files").get(1);
    assertEquals("corpus", corpus.get("role").asText());
    assertEquals("toy/collection.tsv", corpus.get("path").asText());
    assertEquals(Checksums.sha256(first.resolve("toy/collection.tsv")), corpus.get("sha256").asText());

    Path report = tmp.resolve("report");
    new Report(changed, report, "test").write();
    String md = Files.readString(report.resolve("README.md"));
    assertTrue(md.contains("## Data\n\nDataset `toy`, data root `" + copy + "`:"), md);
    assertTrue(md.contains("| `toy/qrels.train.txt` | train qrels | 40 | `"
        + Checksums.sha256(copy.resolve("toy/qrels.train.txt")) + "` |"), md);

    // claim 1 on the 2 x 4 capacity matrix: the Eckart–Young floor next to both fits, in the table and figures.json
    assertTrue(md.contains("| k | best rank-k (Eckart–Young) | error (raw) | error (L2 + learned τ) |"), md);
    JsonNode figures = new ObjectMapper().readTree(report.resolve("figures.json").toFile());
    for (int i = 0; i < 2; i++) {
      int k = i + 1;
      var bound = changed.capacityBound().get(i);
      double floor = figures.get("capacity/k" + k + "/eckart-young").asDouble();
      assertEquals(bound.rmse() / bound.teacherSpread(), floor, 1e-12);
      for (String fit : List.of("error-raw", "error-l2")) {
        double error = figures.get("capacity/k" + k + "/" + fit).asDouble();
        assertTrue(error >= floor - 1e-6, "k = " + k + " " + fit + " " + error + " below the floor " + floor);
      }
      assertTrue(md.contains(String.format(java.util.Locale.ROOT, "| %d | %.3f | %.3f | %.3f |", k, floor,
          figures.get("capacity/k" + k + "/error-raw").asDouble(), figures.get("capacity/k" + k + "/error-l2")
              .asDouble())), md);
    }
    assertTrue(figures.get("capacity/k1/eckart-young").asDouble() > 0, "two distinct queries: rank 2 after centring");
    assertEquals(0, figures.get("capacity/k2/eckart-young").asDouble(), "2 queries: a rank-2 matrix is exact");
  }
}
