package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.dualrank.text.TokenBatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A tiny randomly initialised encoder: 2 layers, H = 32, 4 heads, vocabulary 1000. */
class BertEncoderTest {
  private static final BertConfig CONFIG = BertConfig.of(1000, 32, 2, 4);
  private static NDManager manager;
  private static BertEncoder encoder;

  /** Two rows: 5 tokens (then 3 padding), 8 tokens; the second row uses token type 1 at its end. */
  private static final TokenBatch BATCH = new TokenBatch(2, 8,
      new int[] {101, 7, 8, 9, 102, 0, 0, 0, 101, 11, 12, 102, 13, 14, 15, 102},
      new int[] {1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1},
      new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1});

  @BeforeAll
  static void createEncoder() {
    manager = NDManager.newBaseManager();
    encoder = new BertEncoder(CONFIG).initializeParameters(manager);
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void outputsLastHiddenStatesOfShapeBatchLengthHidden() {
    try (NDManager batch = manager.newSubManager()) {
      NDArray hidden = forward(encoder, BATCH.toNDList(batch), false);
      assertEquals(new Shape(2, 8, 32), hidden.getShape());
      assertEquals(new Shape(2, 8, 32), encoder.getOutputShapes(BertEncoder.inputShapes(2, 8))[0]);
    }
  }

  @Test
  void exposesEveryParameterUnderItsHuggingFaceName() {
    Map<String, Parameter> parameters = encoder.huggingFaceParameters();
    assertEquals(5 + 16 * CONFIG.numLayers(), parameters.size());
    assertEquals(encoder.getParameters().size(), parameters.size());
    assertEquals(new Shape(1000, 32), parameters.get("embeddings.word_embeddings.weight").getShape());
    assertEquals(new Shape(512, 32), parameters.get("embeddings.position_embeddings.weight").getShape());
    assertEquals(new Shape(32, 32), parameters.get("encoder.layer.1.attention.self.key.weight").getShape());
    assertEquals(new Shape(128, 32), parameters.get("encoder.layer.0.intermediate.dense.weight").getShape());
    assertEquals(new Shape(32, 128), parameters.get("encoder.layer.1.output.dense.weight").getShape());
    assertEquals(new Shape(32), parameters.get("encoder.layer.1.output.LayerNorm.bias").getShape());
  }

  @Test
  void initialisesLikeHuggingFace() {
    Map<String, Parameter> parameters = encoder.huggingFaceParameters();
    // N(0, 0.02) truncated at ±0.04 has std 0.02 · 0.8796 = 0.01759
    float[] words = parameters.get("embeddings.word_embeddings.weight").getArray().toFloatArray();
    double std = Math.sqrt(Arrays.stream(toDoubles(words)).map(w -> w * w).average().orElseThrow());
    assertEquals(0.01759, std, 0.0006);
    assertTrue(Arrays.stream(toDoubles(words)).allMatch(w -> Math.abs(w) <= 0.04));
    float[] query = parameters.get("encoder.layer.0.attention.self.query.weight").getArray().toFloatArray();
    assertEquals(0.01759, Math.sqrt(Arrays.stream(toDoubles(query)).map(w -> w * w).average().orElseThrow()), 0.0015);
    assertTrue(Arrays.stream(toDoubles(
        parameters.get("encoder.layer.0.attention.self.query.bias").getArray().toFloatArray())).allMatch(b -> b == 0));
    assertTrue(Arrays.stream(toDoubles(
        parameters.get("embeddings.LayerNorm.weight").getArray().toFloatArray())).allMatch(g -> g == 1));
  }

  @Test
  void paddingDoesNotChangeTheStatesOfRealTokens() {
    TokenBatch alone = new TokenBatch(1, 5, Arrays.copyOf(BATCH.inputIds(), 5), new int[] {1, 1, 1, 1, 1}, new int[5]);
    int[] otherPadIds = BATCH.inputIds().clone();
    Arrays.fill(otherPadIds, 5, 8, 999);
    TokenBatch otherPadding = new TokenBatch(2, 8, otherPadIds, BATCH.attentionMask(), BATCH.tokenTypeIds());
    try (NDManager batch = manager.newSubManager()) {
      float[] reference = forward(encoder, alone.toNDList(batch), false).toFloatArray();
      for (TokenBatch padded : new TokenBatch[] {BATCH, otherPadding}) {
        float[] firstRow = forward(encoder, padded.toNDList(batch), false).get("0, :5, :").toFloatArray();
        assertArrayEquals(reference, firstRow, 1e-5f);
      }
    }
  }

  @Test
  void dropoutActsOnlyInTraining() {
    try (NDManager batch = manager.newSubManager()) {
      NDList inputs = BATCH.toNDList(batch);
      float[] eval = forward(encoder, inputs, false).toFloatArray();
      assertArrayEquals(eval, forward(encoder, inputs, false).toFloatArray(), 0f);
      float[] train = forward(encoder, inputs, true).toFloatArray();
      assertFalse(Arrays.equals(eval, train));
    }
  }

  @Test
  void savedParametersLoadIntoAFreshEncoder() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    encoder.saveParameters(new DataOutputStream(bytes));
    try (NDManager other = NDManager.newBaseManager()) {
      BertEncoder copy = new BertEncoder(CONFIG);
      copy.loadParameters(other, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      float[] expected = forward(encoder, BATCH.toNDList(other), false).toFloatArray();
      assertArrayEquals(expected, forward(copy, BATCH.toNDList(other), false).toFloatArray(), 0f);
    }
  }

  /** Autograd through the whole encoder agrees with central differences of {@code loss = Σ out · R}. */
  @Test
  void gradientsMatchFiniteDifferences() {
    Parameter value = encoder.huggingFaceParameters().get("encoder.layer.0.attention.self.value.weight");
    Parameter words = encoder.huggingFaceParameters().get("embeddings.word_embeddings.weight");
    try (NDManager batch = manager.newSubManager()) {
      NDList inputs = BATCH.toNDList(batch);
      Random random = new Random(7);
      float[] r = new float[2 * 8 * 32];
      for (int i = 0; i < r.length; i++) {
        r[i] = (float) random.nextGaussian();
      }
      NDArray weights = batch.create(r, new Shape(2, 8, 32));
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.zeroGradients();
        collector.backward(forward(encoder, inputs, false).mul(weights).sum());
      }
      float[] valueGradient = value.getArray().getGradient().toFloatArray();
      float[] wordGradient = words.getArray().getGradient().toFloatArray();
      for (int k = 0; k < 3; k++) {
        int entry = random.nextInt(32 * 32);
        assertClose(valueGradient[entry], finiteDifference(value, entry, inputs, weights));
      }
      int tokenSeven = 7 * 32 + 5; // entry 5 of the embedding of token 7, which occurs in the batch
      assertClose(wordGradient[tokenSeven], finiteDifference(words, tokenSeven, inputs, weights));
      assertEquals(0f, wordGradient[500 * 32 + 5], "token 500 is not in the batch");
      assertTrue(Math.abs(wordGradient[tokenSeven]) > 1, "a gradient worth comparing");
    }
  }

  /** Within 2e-3 + 2%: float32 losses and the step's curvature error limit the differences' precision. */
  private static void assertClose(double autograd, double numeric) {
    assertEquals(autograd, numeric, 2e-3 + 0.02 * Math.abs(autograd));
  }

  private static double finiteDifference(Parameter parameter, int entry, NDList inputs, NDArray weights) {
    float[] values = parameter.getArray().toFloatArray();
    float original = values[entry];
    float h = 1e-2f;
    double[] losses = new double[2];
    for (int side = 0; side < 2; side++) {
      values[entry] = original + (side == 0 ? h : -h);
      parameter.getArray().set(values);
      losses[side] = forward(encoder, inputs, false).mul(weights).sum().getFloat();
    }
    values[entry] = original;
    parameter.getArray().set(values);
    return (losses[0] - losses[1]) / (2 * h);
  }

  private static NDArray forward(BertEncoder block, NDList inputs, boolean training) {
    NDManager arrays = inputs.head().getManager();
    return block.forward(new ParameterStore(arrays, false), inputs, training).head();
  }

  private static double[] toDoubles(float[] values) {
    double[] d = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = values[i];
    }
    return d;
  }
}
