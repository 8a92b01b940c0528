package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.dualrank.text.TokenBatch;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA's segment-cosine head: an untrained CA scores the cosine of its joint encoding's segment means. */
class SegmentCosineHeadTest {
  @TempDir Path tmp;

  private static final String QUERY = "where did the cat sit";
  private static final List<String> DOCS = List.of("the cat sat on the mat", "dogs chase cats in the park",
      "a completely unrelated sentence about finance and markets");
  private static final float TEMPERATURE = 0.1f;

  @Test
  void untrainedScoresAreTheCosineOfTheSegmentMeansOverTemperature() {
    RankerConfig config = TinyModels.crossEncoder().withSegmentCosine(TEMPERATURE);
    try (CrossEncoderRanker ca = (CrossEncoderRanker) RankerModel.create(config, 7)) {
      float[] scores = ca.scoreTexts(QUERY, DOCS);
      TokenBatch tokens = ca.tokenizer.encodePairs(Collections.nCopies(DOCS.size(), QUERY), DOCS,
          config.maxQueryLength(), config.maxLength());
      float[] hidden;
      try (NDManager scratch = ca.manager().newSubManager()) {
        hidden = ca.encoders().get(0).forward(new ParameterStore(scratch, false), tokens.toNDList(scratch), false)
            .head().toFloatArray();
      }
      int h = config.encoder().hiddenSize();
      for (int b = 0; b < DOCS.size(); b++) {
        double[] q = new double[h];
        double[] d = new double[h];
        int nq = 0;
        int nd = 0;
        for (int t = 0; t < tokens.length(); t++) {
          int at = b * tokens.length() + t;
          if (tokens.attentionMask()[at] == 0) {
            continue;
          }
          boolean document = tokens.tokenTypeIds()[at] == 1;
          double[] sum = document ? d : q;
          for (int k = 0; k < h; k++) {
            sum[k] += hidden[at * h + k];
          }
          if (document) {
            nd++;
          } else {
            nq++;
          }
        }
        assertTrue(nq >= 3 && nd >= 2, "both segments are present: [CLS] q [SEP] and d [SEP]");
        double dot = 0;
        double qq = 0;
        double dd = 0;
        for (int k = 0; k < h; k++) {
          dot += q[k] / nq * d[k] / nd;
          qq += q[k] / nq * q[k] / nq;
          dd += d[k] / nd * d[k] / nd;
        }
        assertEquals(dot / Math.sqrt(qq * dd) / TEMPERATURE, scores[b], 1e-4, DOCS.get(b));
      }
    }
  }

  @Test
  void theHeadStartsAtZeroAndTheConfigSurvivesSaveAndLoad() throws Exception {
    RankerConfig config = TinyModels.crossEncoder().withSegmentCosine(TEMPERATURE);
    float[] before;
    try (CrossEncoderRanker ca = (CrossEncoderRanker) RankerModel.create(config, 7)) {
      before = ca.scoreTexts(QUERY, DOCS);
      for (float w : ca.huggingFaceParameters().get("classifier.weight").getArray().toFloatArray()) {
        assertEquals(0f, w);
      }
      ca.save(tmp.resolve("m"));
    }
    try (RankerModel back = RankerModel.load(tmp.resolve("m"))) {
      assertTrue(back.config().segmentCosine());
      assertEquals(config, back.config());
      assertArrayEquals(before, back.scoreTexts(QUERY, DOCS), 0f);
    }
    try (RankerModel plain = RankerModel.create(TinyModels.crossEncoder(), 7)) {
      assertNotEquals(before[0], plain.scoreTexts(QUERY, DOCS)[0], "without the head the CA scores [CLS] alone");
    }
  }

  @Test
  void onlyACrossEncoderHasOneAndItHasNoExportYet() {
    assertThrows(IllegalArgumentException.class,
        () -> TinyModels.dualEncoder(Pooling.MEAN, true, 0, true, 0.05f, false).withSegmentCosine(0.05f));
    RankerConfig config = TinyModels.crossEncoder().withSegmentCosine(TEMPERATURE);
    try (RankerModel ca = RankerModel.create(config, 7)) {
      assertThrows(IllegalArgumentException.class, () -> HuggingFaceExport.write(ca, tmp.resolve("hf")));
      assertThrows(IllegalArgumentException.class, () -> OnnxExport.graph(ca));
    }
  }

  @Test
  void aStrongCrossSegmentBiasKeepsTheQuerySegmentFromSeeingTheDocument() {
    try (CrossEncoderRanker ca = (CrossEncoderRanker) RankerModel.create(TinyModels.crossEncoder(), 7)) {
      float[] open = ca.scoreTexts(QUERY, DOCS);
      assertNotEquals(open[0], open[1], "with full attention [CLS] reads the document");
      ca.setCrossSegmentBias(-1e9f);
      float[] closed = ca.scoreTexts(QUERY, DOCS);
      // [CLS] q [SEP] then attends only to itself, at the positions and types of the query encoded alone
      TokenBatch alone = ca.tokenizer.encode(List.of(QUERY), ca.config().maxQueryLength());
      float expected;
      try (NDManager scratch = ca.manager().newSubManager()) {
        var ps = new ParameterStore(scratch, false);
        var cls = ca.encoders().get(0).forward(ps, alone.toNDList(scratch), false).head().get(":, 0, :");
        expected = ca.crossEncoderBlock().head().forward(ps, new ai.djl.ndarray.NDList(cls), false).head()
            .toFloatArray()[0];
      }
      for (float score : closed) {
        assertEquals(expected, score, 1e-4, "every document scores as the query alone");
      }
      ca.setCrossSegmentBias(0f);
      assertArrayEquals(open, ca.scoreTexts(QUERY, DOCS), 0f, "0 restores plain self-attention");
      assertThrows(IllegalArgumentException.class, () -> ca.setCrossSegmentBias(1f));
    }
    try (RankerModel de = RankerModel.create(TinyModels.dualEncoder(Pooling.MEAN, true, 0, true, 0.05f, false), 7)) {
      assertThrows(UnsupportedOperationException.class, () -> de.setCrossSegmentBias(-1f));
    }
  }
}
