package io.dualrank.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualrank.ToyDataset;
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
    return ToyStudy.config(tmp, name, definition, 0, startFrom == null ? "" : ", startFrom: " + startFrom);
  }

  private ReproductionPipeline.Outcome reproduce(Path config, Path root) throws IOException {
    return ToyStudy.reproduce(config, root, tmp.resolve("work"));
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

  @Test
  void aStartingTeacherFoundTrainedIsUsedWithoutReadingItsStudysCandidates() throws IOException {
    Path definition = ToyDataset.writeDefinition(tmp.resolve("toy.yaml"));
    Path root = ToyDataset.writeData(tmp.resolve("data"));
    Path corpus = root.resolve("toy/collection.tsv"); // "about" in every passage: BM25 ranks all six for each query
    Files.writeString(corpus, Files.readString(corpus).replace(" on the ", " about the "));
    Path first = bm25(config("toy-first", definition, null));
    Path warm = bm25(config("toy-warm", definition, first.toString()));
    reproduce(first, root);
    Path start = caStage("toy-first");
    try (Stream<Path> dirs = Files.list(tmp.resolve("work/toy-first"))) {
      Path bm25 = dirs.filter(p -> p.getFileName().toString().startsWith("bm25-")).findFirst().orElseThrow();
      Files.writeString(bm25.resolve("train.trec"), "not a run\n"); // read only to train the first study's CA
    }

    ReproductionPipeline.Outcome outcome = reproduce(warm, root);
    assertTrue(outcome.stages().computed().stream().anyMatch(s -> s.startsWith("ca-")),
        outcome.stages().computed().toString());
    JsonNode from = new ObjectMapper().readTree(caStage("toy-warm").resolve("provenance.json").toFile()).get("startFrom");
    assertEquals(start.toString(), from.get("dir").asText());
  }

  private static Path bm25(Path config) throws IOException {
    return Files.writeString(config, Files.readString(config).replace("candidates: dataset", "candidates: bm25"));
  }
}
