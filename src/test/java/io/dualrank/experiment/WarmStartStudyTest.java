package io.dualrank.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualrank.ToyDataset;
import io.dualrank.data.Dataset;
import io.dualrank.model.RankerModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code teacher.startFrom}: a study whose CA starts from another study's trained CA finds that CA in the other
 * study's own stage, or trains it there first; the other study then reuses it, and the warm-started CA names it.
 */
class WarmStartStudyTest {
  @TempDir Path tmp;

  private Path config(String name, Path definition, String startFrom) throws IOException {
    String model = "maxQueryLength: 8, maxLength: 24, normalize: false, temperature: 1, learnTemperature: false,"
        + " steps: 2, batch: 2, negatives: 2, crossQueryNegatives: 0, lr: 1.0e-3, warmup: 0.1";
    return Files.writeString(tmp.resolve(name + ".yaml"), "name: " + name + "\ndataset: " + definition + "\n"
        + """
        seed: 5
        candidates: dataset
        bm25: {k1: 0.9, b: 0.4, fields: flat}
        trainDepth: 6
        rerankDepth: 6
        maxTrainQueries: 0
        maxTestQueries: 0
        encoder: random:1x16x2
        """
        + "teacher: {pooling: cls, " + model + (startFrom == null ? "" : ", startFrom: " + startFrom) + "}\n"
        + "student: {pooling: mean, " + model + "}\n"
        + """
        losses: [onehot]
        inBatchOnehot: false
        distillation: {teacherTemperature: 1, studentTemperature: 1, alpha: 0}
        evaluation: {every: 2, queries: 2, depth: 6, finalTrainQueries: 4}
        capacity: {dimensions: [1, 2], queries: 2, documents: 4, steps: 5, learningRate: 0.05, loss: mse}
        """);
  }

  private ReproductionPipeline.Outcome reproduce(Path config, Path root) throws IOException {
    ExperimentConfig cfg = ExperimentConfig.read(config);
    return new ReproductionPipeline(cfg, Dataset.load(Path.of(cfg.dataset()), root), tmp.resolve("work"), "test")
        .run();
  }

  private Path caStage(String study) throws IOException {
    try (Stream<Path> dirs = Files.list(tmp.resolve("work").resolve(study))) {
      List<Path> ca = dirs.filter(p -> p.getFileName().toString().startsWith("ca-")).toList();
      assertEquals(1, ca.size(), study + ": one CA stage, found " + ca);
      return ca.get(0);
    }
  }

  @Test
  void theWarmStartedTeacherTrainsItsStartInTheOtherStudysStageWhichThatStudyReuses() throws IOException {
    Path definition = ToyDataset.writeDefinition(tmp.resolve("toy.yaml"));
    Path root = ToyDataset.writeData(tmp.resolve("data"));
    Path first = config("toy-first", definition, null);
    Path warm = config("toy-warm", definition, first.toString());

    reproduce(warm, root);
    Path start = caStage("toy-first");
    Path ca = caStage("toy-warm");
    assertTrue(Files.isRegularFile(start.resolve("DONE.json")), "the start is trained in its own study's stage");
    JsonNode from = new ObjectMapper().readTree(ca.resolve("provenance.json").toFile()).get("startFrom");
    assertEquals(start.toString(), from.get("dir").asText());
    assertEquals(RankerModel.checksums(start).get("model model.params.sha256"),
        from.get("checksums").get("model model.params.sha256").asText());
    assertNotEquals(RankerModel.checksums(start).get("model model.params.sha256"),
        RankerModel.checksums(ca).get("model model.params.sha256"), "trained on from there");

    ReproductionPipeline.Outcome other = reproduce(first, root);
    assertTrue(other.stages().computed().stream().noneMatch(s -> s.startsWith("ca-")),
        "the first study reuses the CA trained for the warm start: " + other.stages().computed());
    assertEquals(List.of(), reproduce(warm, root).stages().computed(), "a rerun reuses every stage");

    Path cold = config("toy-warm", definition, null); // the same study without the warm start: another CA stage
    reproduce(cold, root);
    try (Stream<Path> dirs = Files.list(tmp.resolve("work/toy-warm"))) {
      assertEquals(2, dirs.filter(p -> p.getFileName().toString().startsWith("ca-")).count());
    }
  }
}
