package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.data.Document;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ONNX Runtime running a cross-encoder's own (random, MiniLM-shaped) weights gives the DJL model's scores, with
 * either pooling.
 */
class OnnxRuntimeCrossEncoderTest {
  @ParameterizedTest
  @EnumSource(Pooling.class)
  void scoresAsTheDjlModel(Pooling pooling) {
    RankerConfig config = RankerConfig.crossEncoder(RankerConfig.RANDOM_INIT, "all-minilm-l6-v2",
        PretrainedEncoder.ALL_MINILM_L6_V2.config(), 8, 40, pooling);
    assertTrue(OnnxRuntimeCrossEncoder.runs(config));
    List<Document> documents = List.of(
        new Document("d1", "Dual encoders", "A dual-encoder embeds queries and documents separately."),
        new Document("d2", "", "Prices drop in winter."),
        new Document("d3", "", "word ".repeat(100)));
    try (CrossEncoderRanker model = (CrossEncoderRanker) RankerModel.create(config, 11);
        OnnxRuntimeCrossEncoder onnx = OnnxRuntimeCrossEncoder.of(model, 1)) {
      String query = "what is a dual encoder and why is it cheap at query time?";
      assertArrayEquals(model.score(query, documents), onnx.score(query, documents), 1e-4f);
    }
  }

  @Test
  void scoresASegmentCosineHeadAsTheDjlModel() {
    RankerConfig config = RankerConfig.crossEncoder(RankerConfig.RANDOM_INIT, "all-minilm-l6-v2",
        PretrainedEncoder.ALL_MINILM_L6_V2.config(), 8, 40, Pooling.CLS).withSegmentCosine(0.05f);
    assertTrue(OnnxRuntimeCrossEncoder.runs(config));
    List<Document> documents = List.of(new Document("d1", "", "A dual-encoder embeds texts separately."),
        new Document("d2", "", "Prices drop in winter."), new Document("d3", "", "word ".repeat(100)));
    try (CrossEncoderRanker model = (CrossEncoderRanker) RankerModel.create(config, 11)) {
      String query = "what is a dual encoder?";
      float[] cosineOnly = model.score(query, documents);
      ai.djl.ndarray.NDArray weight = model.crossEncoderBlock().head().getParameters().get("weight").getArray();
      weight.set(weight.getManager().randomNormal(weight.getShape()).mul(0.05f).toFloatArray());
      float[] both = model.score(query, documents);
      assertFalse(java.util.Arrays.equals(cosineOnly, both), "the head now adds to the cosine");
      try (OnnxRuntimeCrossEncoder onnx = OnnxRuntimeCrossEncoder.of(model, 1)) {
        assertArrayEquals(both, onnx.score(query, documents), 1e-3f);
      }
    }
  }

  @Test
  void otherShapesStayWithPyTorch() {
    assertFalse(OnnxRuntimeCrossEncoder.runs(TinyModels.crossEncoder()));
  }
}
