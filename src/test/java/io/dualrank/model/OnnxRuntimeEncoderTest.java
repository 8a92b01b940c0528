package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.data.Document;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime running a dual encoder's own weights in the pre-trained graph gives the DJL model's embeddings:
 * random MiniLM-shaped weights (so nothing of the pre-trained ones survives), each pooling, shared and
 * separate towers, with and without projection.
 */
class OnnxRuntimeEncoderTest {
  private static final List<String> QUERIES = List.of("what is a dual encoder?", "Cheap flights to Reykjavík");
  private static final List<Document> DOCUMENTS = List.of(
      new Document("d1", "Dual encoders", "A dual-encoder embeds queries and documents separately; relevance is the"
          + " inner product of the two embeddings, so document embeddings can be pre-computed and indexed."),
      new Document("d2", "", "Prices drop in winter."),
      new Document("d3", "", "word ".repeat(300)));

  @Test
  void sharedTowersMeanPooling() {
    assertSameEmbeddings(config(Pooling.MEAN, true, 0));
  }

  @Test
  void separateTowersClsPoolingProjection() {
    assertSameEmbeddings(config(Pooling.CLS, false, 64));
  }

  @Test
  void otherShapesStayWithPyTorch() {
    assertFalse(OnnxRuntimeEncoder.runs(TinyModels.dualEncoder(Pooling.MEAN, true, 0, true, 1f, false)));
  }

  private static RankerConfig config(Pooling pooling, boolean shared, int projection) {
    return new RankerConfig(Architecture.DUAL_ENCODER, RankerConfig.RANDOM_INIT, "all-minilm-l6-v2",
        PretrainedEncoder.ALL_MINILM_L6_V2.config(), 16, 64, pooling, shared, projection, true, 0.05f, false);
  }

  private static void assertSameEmbeddings(RankerConfig config) {
    assertTrue(OnnxRuntimeEncoder.runs(config));
    try (DualEncoderRanker model = (DualEncoderRanker) RankerModel.create(config, 7);
        OnnxRuntimeEncoder onnx = OnnxRuntimeEncoder.of(model, 1)) {
      assertEquals(model.dimension(), onnx.dimension());
      assertClose(model.encodeQueries(QUERIES), onnx.encodeQueries(QUERIES));
      assertClose(model.encodeDocuments(DOCUMENTS), onnx.encodeDocuments(DOCUMENTS));
    }
  }

  private static void assertClose(float[][] expected, float[][] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i].length, actual[i].length);
      for (int j = 0; j < expected[i].length; j++) {
        assertEquals(expected[i][j], actual[i][j], 1e-4, "row " + i + ", column " + j);
      }
    }
  }
}
