package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.dualrank.text.TokenBatch;
import io.dualrank.text.WordPieceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The DJL encoder with weights read from the ONNX file reproduces ONNX Runtime on that file, on batches of
 * single texts and of (query, document) pairs that carry padding.
 *
 * <p>Real tokens must agree to 1e-4. Padding positions (whose states nothing downstream reads) are held to
 * 5e-4: in bge-small they are ill-conditioned, and float32 rounding alone moves them by ~1e-4 (the DJL
 * encoder run in float64 agrees with ONNX Runtime there to ~1.5e-5, so the maths is the same).
 */
class PretrainedEncoderOrtTest {
  private static final List<String> QUERIES = List.of("what is a dual encoder?", "Cheap flights to Reykjavík");
  private static final List<String> DOCUMENTS = List.of(
      "A dual-encoder embeds queries and documents separately; relevance is the inner product of the two"
          + " embeddings, so document embeddings can be pre-computed and indexed.",
      "Prices drop in winter.");

  @ParameterizedTest
  @EnumSource(PretrainedEncoder.class)
  void lastHiddenStatesMatchOnnxRuntime(PretrainedEncoder pretrained) throws Exception {
    try (NDManager manager = NDManager.newBaseManager();
        WordPieceTokenizer tokenizer = pretrained.tokenizer()) {
      BertEncoder encoder = pretrained.load(manager);
      int hidden = encoder.config().hiddenSize();
      List<TokenBatch> batches = List.of(
          tokenizer.encode(List.of(QUERIES.get(0), DOCUMENTS.get(0), DOCUMENTS.get(1)), 128),
          tokenizer.encodePairs(QUERIES, DOCUMENTS, 8, 24)); // the first document is cut
      double realTokens = 0;
      double padding = 0;
      for (TokenBatch batch : batches) {
        assertTrue(batch.tokenCount(batch.size() - 1) < batch.length(), "the batch must contain padding");
        float[] expected = onnxRuntimeHiddenStates(pretrained, batch);
        float[] actual;
        try (NDManager batchManager = manager.newSubManager()) {
          actual = encoder.forward(new ParameterStore(batchManager, false), batch.toNDList(batchManager), false)
              .head().toFloatArray();
        }
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < actual.length; i++) {
          double diff = Math.abs(expected[i] - actual[i]);
          if (batch.attentionMask()[i / hidden] == 1) {
            realTokens = Math.max(realTokens, diff);
          } else {
            padding = Math.max(padding, diff);
          }
        }
      }
      System.out.printf("%s: max |DJL - ONNX Runtime| = %.3g on tokens, %.3g on padding%n",
          pretrained, realTokens, padding);
      assertTrue(realTokens < 1e-4, "tokens: max diff " + realTokens);
      assertTrue(padding < 5e-4, "padding: max diff " + padding);
    }
  }

  private static float[] onnxRuntimeHiddenStates(PretrainedEncoder pretrained, TokenBatch batch)
      throws IOException, OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    byte[] model;
    try (InputStream in = pretrained.openOnnx()) {
      model = in.readAllBytes();
    }
    long[] shape = {batch.size(), batch.length()};
    try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
        OnnxTensor ids = OnnxTensor.createTensor(env, longs(batch.inputIds()), shape);
        OnnxTensor mask = OnnxTensor.createTensor(env, longs(batch.attentionMask()), shape);
        OnnxTensor types = OnnxTensor.createTensor(env, longs(batch.tokenTypeIds()), shape);
        OrtSession.Result result = session.run(
            Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
      OnnxTensor hiddenStates = (OnnxTensor) result.get("last_hidden_state").orElseThrow();
      float[] values = new float[hiddenStates.getFloatBuffer().remaining()];
      hiddenStates.getFloatBuffer().get(values);
      return values;
    }
  }

  private static LongBuffer longs(int[] values) {
    return LongBuffer.wrap(Arrays.stream(values).asLongStream().toArray());
  }
}
