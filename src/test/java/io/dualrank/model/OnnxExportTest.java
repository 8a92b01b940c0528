package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.dualrank.data.Document;
import io.dualrank.text.TokenBatch;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone ONNX graph of a ranker, run by ONNX Runtime on one padded batch, gives the DJL model's
 * embeddings or scores (within 1e-4), names its weights as the model does, and passes onnx.checker (with either
 * {@link OnnxExport.Outputs}).
 */
class OnnxExportTest {
  private static final List<String> TEXTS = HuggingFaceExportTest.DOCUMENTS;
  private static final String QUERY = HuggingFaceExportTest.QUERY;

  @TempDir Path dir;

  @Test
  void dualEncoderMeanPoolingProjectionNormalised() throws Exception {
    assertSameEmbeddings(TinyModels.dualEncoder(Pooling.MEAN, true, 8, true, 0.05f, false));
  }

  @Test
  void dualEncoderClsPooling() throws Exception {
    assertSameEmbeddings(TinyModels.dualEncoder(Pooling.CLS, true, 0, false, 1f, false));
  }

  @Test
  void crossEncoderWithoutAndWithPooler() throws Exception {
    try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(), 8)) {
      assertSameScores((CrossEncoderRanker) model, "tiny CA");
    }
    Path hf = dir.resolve("hf");
    TinyHuggingFaceBert.writeCrossEncoder(hf, 6);
    try (RankerModel model = RankerModel.load(hf)) {
      assertSameScores((CrossEncoderRanker) model, "imported CA with pooler");
    }
  }

  @Test
  void crossEncoderMeanPooling() throws Exception {
    try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(Pooling.MEAN), 8)) {
      assertSameScores((CrossEncoderRanker) model, "tiny mean-pooled CA");
    }
  }

  @Test
  void weightsKeepTheirHuggingFaceNames() throws IOException {
    try (RankerModel model = RankerModel.create(TinyModels.dualEncoder(Pooling.MEAN, true, 0, false, 1f, false), 3)) {
      Map<String, FloatTensor> read = OnnxInitializers.read(new ByteArrayInputStream(OnnxExport.graph(model)))
          .huggingFaceWeights();
      BertBlocks.values(model.huggingFaceParameters()).forEach((name, tensor) -> {
        assertEquals(tensor.shape(), read.get(name).shape(), name);
        assertArrayEquals(tensor.data(), read.get(name).data(), name);
      });
    }
  }

  @Test
  void passesOnnxChecker() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    Assumptions.assumeTrue(Files.isExecutable(python), "skipped: no /usr/bin/python3 for onnx.checker");
    Assumptions.assumeTrue(exitCode(python.toString(), "-c", "import onnx") == 0,
        "skipped: Debian's python3-onnx is not installed (apt-get install python3-onnx)");
    for (RankerConfig config : List.of(TinyModels.crossEncoder(),
        TinyModels.dualEncoder(Pooling.MEAN, true, 8, true, 0.05f, false))) {
      try (RankerModel model = RankerModel.create(config, 2)) {
        for (OnnxExport.Outputs outputs : OnnxExport.Outputs.values()) {
          Path file = dir.resolve(config.architecture() + "-" + outputs + ".onnx");
          Files.write(file, OnnxExport.graph(model, outputs));
          assertEquals(0, exitCode(python.toString(), "-c",
              "import onnx, sys; onnx.checker.check_model(sys.argv[1], full_check=True)", file.toString()),
              "onnx.checker rejects the " + config.architecture() + " graph with " + outputs + " outputs");
        }
      }
    }
  }

  private static int exitCode(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).inheritIO().start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  private static void assertSameEmbeddings(RankerConfig config) throws Exception {
    try (DualEncoderRanker model = (DualEncoderRanker) RankerModel.create(config, 4)) {
      assertSameEmbeddings(model, OnnxExport.graph(model), "embedding",
          String.format("DE %s projection %d", config.pooling(), config.projection()));
    }
  }

  /** The graph's {@code output}, run on {@link #TEXTS}, gives the DE's document embeddings within 1e-4. */
  static void assertSameEmbeddings(DualEncoderRanker model, byte[] graph, String output, String what)
      throws Exception {
    float[][] expected = model.encodeDocuments(TEXTS.stream().map(t -> new Document("d", "", t)).toList());
    float[] actual = run(graph, model.tokenizer.encode(TEXTS, model.config().maxLength()), output);
    float max = 0;
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        max = Math.max(max, Math.abs(expected[i][j] - actual[i * expected[i].length + j]));
      }
    }
    System.out.printf("onnx vs DJL, %s: max |diff| = %.3g%n", what, max);
    assertTrue(max < 1e-4, what + ": max |diff| " + max);
  }

  private static void assertSameScores(CrossEncoderRanker model, String what) throws Exception {
    assertSameScores(model, OnnxExport.graph(model), "score", what);
  }

  /** The graph's {@code output}, run on the pairs of {@link #QUERY} and {@link #TEXTS}, gives the CA's scores within 1e-4. */
  static void assertSameScores(CrossEncoderRanker model, byte[] graph, String output, String what) throws Exception {
    RankerConfig config = model.config();
    float[] expected = model.scoreTexts(QUERY, TEXTS);
    TokenBatch pairs = model.tokenizer.encodePairs(Collections.nCopies(TEXTS.size(), QUERY), TEXTS,
        config.maxQueryLength(), config.maxLength());
    float diff = HuggingFaceExportTest.maxDiff(expected, run(graph, pairs, output));
    System.out.printf("onnx vs DJL, %s: max |diff| = %.3g%n", what, diff);
    assertTrue(diff < 1e-4, what + ": max |diff| " + diff);
  }

  /** The named output of the graph on one batch, flattened. */
  static float[] run(byte[] graph, TokenBatch batch, String output) throws OrtException {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    long[] shape = {batch.size(), batch.length()};
    try (OrtSession session = environment.createSession(graph, new OrtSession.SessionOptions());
        OnnxTensor ids = OnnxTensor.createTensor(environment, longs(batch.inputIds()), shape);
        OnnxTensor mask = OnnxTensor.createTensor(environment, longs(batch.attentionMask()), shape);
        OnnxTensor types = OnnxTensor.createTensor(environment, longs(batch.tokenTypeIds()), shape);
        OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
      var buffer = ((OnnxTensor) result.get(output).orElseThrow()).getFloatBuffer();
      float[] out = new float[buffer.remaining()];
      buffer.get(out);
      return out;
    }
  }

  private static LongBuffer longs(int[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return LongBuffer.wrap(out);
  }
}
