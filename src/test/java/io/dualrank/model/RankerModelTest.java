package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.dualrank.data.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RankerModelTest {
  @TempDir Path tmp;

  private static final List<String> DOCS = List.of("the cat sat on the mat", "dogs chase cats in the park",
      "a completely unrelated sentence about finance and markets");

  @Test
  void saveAndLoadGiveIdenticalScoresForEveryArchitecture() throws IOException {
    List<RankerConfig> configs = List.of(TinyModels.crossEncoder(),
        TinyModels.dualEncoder(Pooling.MEAN, true, 0, false, 1f, false),
        TinyModels.dualEncoder(Pooling.CLS, false, 8, true, 0.05f, true));
    int i = 0;
    for (RankerConfig config : configs) {
      Path dir = tmp.resolve("m" + i++);
      float[] before;
      try (RankerModel m = RankerModel.create(config, 3)) {
        before = m.scoreTexts("where is the cat", DOCS);
        m.save(dir);
      }
      try (RankerModel back = RankerModel.load(dir)) {
        assertEquals(config, back.config());
        assertArrayEquals(before, back.scoreTexts("where is the cat", DOCS), 0f, config.toString());
      }
    }
  }

  @Test
  void theSeedFixesTheRandomInitialisation() {
    try (RankerModel a = RankerModel.create(TinyModels.crossEncoder(), 5);
        RankerModel b = RankerModel.create(TinyModels.crossEncoder(), 5);
        RankerModel c = RankerModel.create(TinyModels.crossEncoder(), 6)) {
      assertArrayEquals(a.scoreTexts("q", DOCS), b.scoreTexts("q", DOCS), 0f);
      assertNotEquals(a.scoreTexts("q", DOCS)[0], c.scoreTexts("q", DOCS)[0]);
    }
  }

  @Test
  void listScoresAgreeWithInferenceScoresAndDenseEmbeddings() {
    try (DualEncoderRanker de = (DualEncoderRanker) RankerModel.create(
        TinyModels.dualEncoder(Pooling.MEAN, true, 8, true, 0.1f, false), 1)) {
      float[] inference = de.scoreTexts("cat", DOCS);
      try (NDManager scratch = de.manager().newSubManager()) {
        NDArray s = de.listScores(new ParameterStore(scratch, false), scratch, List.of("cat", "dog"),
            List.of(DOCS, List.of(DOCS.get(2), DOCS.get(0), DOCS.get(1))), false);
        assertEquals(new ai.djl.ndarray.types.Shape(2, 3), s.getShape());
        assertArrayEquals(inference, s.get(0).toFloatArray(), 1e-5f);
      }
      float[] q = de.encodeQueries(List.of("cat"))[0];
      assertEquals(8, q.length);
      assertEquals(1.0, Math.sqrt(DualEncoderRanker.dot(q, q)), 1e-5, "normalised");
      float[] d = de.encodeDocuments(List.of(new io.dualrank.data.Document("x", "", DOCS.get(1))))[0];
      assertEquals(inference[1], DualEncoderRanker.dot(q, d) / 0.1f, 1e-4);
    }
    try (CrossEncoderRanker ca = (CrossEncoderRanker) RankerModel.create(TinyModels.crossEncoder(), 1)) {
      float[] inference = ca.scoreTexts("cat", DOCS);
      try (NDManager scratch = ca.manager().newSubManager()) {
        NDArray s = ca.listScores(new ParameterStore(scratch, false), scratch, List.of("cat"), List.of(DOCS), false);
        assertArrayEquals(inference, s.toFloatArray(), 1e-5f);
      }
    }
  }

  @Test
  void rerankOrdersEachQuerysCandidatesByTheModelScores() {
    try (RankerModel de = RankerModel.create(TinyModels.dualEncoder(Pooling.MEAN, true, 0, false, 1f, false), 2)) {
      Run candidates = new Run.Builder("bm25").add("q1", "d0", 3).add("q1", "d1", 2).add("q1", "d2", 1)
          .add("q2", "d2", 1).build();
      Map<String, String> docs = Map.of("d0", DOCS.get(0), "d1", DOCS.get(1), "d2", DOCS.get(2));
      Run run = de.rerank(candidates, Map.of("q1", "cat", "q2", "money"), docs, "de", false);
      float[] s = de.scoreTexts("cat", DOCS);
      assertEquals(s[0], run.ranking("q1").stream().filter(d -> d.docId().equals("d0")).findFirst().get().score(), 1e-5);
      assertTrue(run.ranking("q1").get(0).score() >= run.ranking("q1").get(1).score());
      assertEquals(1, run.ranking("q2").size());
      assertThrows(IllegalArgumentException.class,
          () -> de.rerank(candidates, Map.of("q1", "cat"), docs, "de", false));
    }
  }

  @Test
  void loadingANonModelDirectoryFails() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    IOException e = assertThrows(IOException.class, () -> RankerModel.load(dir));
    assertTrue(e.getMessage().contains("not a dualrank model directory"));
  }

  @Test
  void aWarmStartTakesTheTrainedWeightsAndMayChangeOnlyTheLengths() throws IOException {
    Path dir = tmp.resolve("trained");
    float[] trained;
    try (RankerModel m = RankerModel.create(TinyModels.crossEncoder(), 3)) {
      trained = m.scoreTexts("where is the cat", DOCS);
      m.save(dir);
    }
    RankerConfig longer = TinyModels.crossEncoder().withLengths(12, 64);
    try (RankerModel other = RankerModel.create(longer, 9); // seeds the engine: a model not loaded would differ
        RankerModel warm = RankerModel.startingFrom(longer, dir)) {
      assertNotEquals(trained[0], other.scoreTexts("where is the cat", DOCS)[0]);
      assertEquals(longer, warm.config());
      assertArrayEquals(trained, warm.scoreTexts("where is the cat", DOCS), 0f, "short texts: the same scores");
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RankerModel.startingFrom(TinyModels.crossEncoder().withSegmentCosine(0.05f), dir));
    assertTrue(e.getMessage().contains("same model up to its lengths"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> RankerModel.startingFrom(TinyModels.crossEncoder(Pooling.MEAN), dir));
  }
}
