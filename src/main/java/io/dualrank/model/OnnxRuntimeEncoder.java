package io.dualrank.model;

import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.dualrank.data.Document;
import io.dualrank.text.TokenBatch;
import io.dualrank.text.WordPieceTokenizer;
import io.dualrank.util.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dual encoder run by ONNX Runtime: the BERT encoders are a pre-trained encoder's ONNX graph, with its own
 * weights ({@link #pretrained}) or with those of a {@link DualEncoderRanker} ({@link #of}); pooling,
 * projection and normalisation are done here as {@link DualEncoderBlock} does them, on the same
 * tokenisation and {@link LengthBatches}. Same embeddings as the DJL model up to float rounding (the graph
 * computes the same function; cosine > 0.99999 on real text), and on CPU about 1.5 times as fast: ONNX
 * Runtime's matrix products are faster than those of PyTorch's MKL on this project's machine (see
 * docs/results/benchmarks.md).
 */
public final class OnnxRuntimeEncoder implements DenseEncoder {
  private final RankerConfig config;
  private final WordPieceTokenizer tokenizer;
  private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
  private final OrtSession querySession;
  private final OrtSession documentSession;
  private final float[][] projectionWeight;
  private final float[] projectionBias;

  private OnnxRuntimeEncoder(RankerConfig config, byte[] queryGraph, byte[] documentGraph, Linear projection,
      int threads) {
    this.config = config;
    tokenizer = PretrainedEncoder.byId(config.tokenizer()).tokenizer();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      querySession = environment.createSession(queryGraph, options);
      documentSession = documentGraph == queryGraph ? querySession : environment.createSession(documentGraph, options);
    } catch (OrtException e) {
      tokenizer.close();
      throw new IllegalStateException("ONNX Runtime cannot load the encoder", e);
    }
    if (projection == null) {
      projectionWeight = null;
      projectionBias = null;
    } else {
      var parameters = projection.getParameters();
      var weight = parameters.get("weight").getArray();
      projectionWeight = LengthBatches.rows(weight.toFloatArray(), Math.toIntExact(weight.getShape().get(0)));
      projectionBias = parameters.get("bias").getArray().toFloatArray();
    }
  }

  /**
   * ONNX Runtime on the pre-trained encoder {@code config} was initialised from, its own weights: what an
   * untrained dual encoder of that config computes. The config must have no projection.
   */
  public static OnnxRuntimeEncoder pretrained(RankerConfig config, int threads) {
    if (config.architecture() != Architecture.DUAL_ENCODER || config.projection() > 0) {
      throw new IllegalArgumentException("a pre-trained encoder embeds as a dual encoder without projection, not as "
          + config.architecture() + " with projection " + config.projection());
    }
    byte[] graph = graph(PretrainedEncoder.byId(config.init()));
    return new OnnxRuntimeEncoder(config, graph, graph, null, threads);
  }

  /**
   * A snapshot of {@code model}'s weights in ONNX Runtime (later changes to the model do not reach it). The
   * model's encoders must have the shape of its tokenizer's pre-trained encoder, whose graph they fill.
   *
   * @throws IllegalArgumentException if they do not
   */
  public static OnnxRuntimeEncoder of(DualEncoderRanker model, int threads) {
    RankerConfig config = model.config();
    if (!runsOnPretrainedGraph(config)) {
      throw new IllegalArgumentException("the encoder " + config.encoder() + " has not the shape of "
          + config.tokenizer() + ", whose ONNX graph ONNX Runtime would run");
    }
    byte[] template = graph(PretrainedEncoder.byId(config.tokenizer()));
    DualEncoderBlock block = model.dualEncoderBlock();
    byte[] queryGraph = withWeights(template, block.encoder(true));
    byte[] documentGraph = config.sharedTowers() ? queryGraph : withWeights(template, block.encoder(false));
    return new OnnxRuntimeEncoder(config, queryGraph, documentGraph, block.projection(), threads);
  }

  /** Whether {@link #of} can run a dual encoder of this config. */
  public static boolean runsOnPretrainedGraph(RankerConfig config) {
    BertConfig graph = PretrainedEncoder.byId(config.tokenizer()).config();
    return config.architecture() == Architecture.DUAL_ENCODER
        && config.encoder().withDropout(graph.dropout()).equals(graph);
  }

  private static byte[] graph(PretrainedEncoder pretrained) {
    try (InputStream in = pretrained.openOnnx()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] withWeights(byte[] template, BertEncoder encoder) {
    Map<String, FloatTensor> weights = new LinkedHashMap<>();
    encoder.huggingFaceParameters().forEach((name, parameter) -> weights.put(name, tensor(parameter)));
    try {
      return OnnxInitializers.withHuggingFaceWeights(template, weights);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static FloatTensor tensor(Parameter parameter) {
    var array = parameter.getArray();
    return new FloatTensor(array.getShape(), array.toFloatArray());
  }

  @Override
  public int dimension() {
    return config.embeddingDimension();
  }

  @Override
  public boolean normalized() {
    return config.normalize();
  }

  @Override
  public float[][] encodeQueries(List<String> queries) {
    return LengthBatches.embed(tokenizer, queries, config.maxQueryLength(), batch -> embed(querySession, batch),
        Progress.silent());
  }

  @Override
  public float[][] encodeDocuments(List<Document> documents) {
    return LengthBatches.embed(tokenizer, documents.stream().map(Document::fullText).toList(), config.maxLength(),
        batch -> embed(documentSession, batch), Progress.silent());
  }

  private float[][] embed(OrtSession session, TokenBatch batch) {
    long[] shape = {batch.size(), batch.length()};
    try (OnnxTensor ids = OnnxTensor.createTensor(environment, longs(batch.inputIds()), shape);
        OnnxTensor mask = OnnxTensor.createTensor(environment, longs(batch.attentionMask()), shape);
        OnnxTensor types = OnnxTensor.createTensor(environment, longs(batch.tokenTypeIds()), shape);
        OrtSession.Result result = session.run(
            Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
      FloatBuffer hidden = ((OnnxTensor) result.get("last_hidden_state").orElseThrow()).getFloatBuffer();
      float[][] out = new float[batch.size()][];
      for (int row = 0; row < batch.size(); row++) {
        out[row] = embedding(pool(batch, row, hidden));
      }
      return out;
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on a batch of " + batch.size(), e);
    }
  }

  /** The pooled hidden states {@code [H]} of one row of {@code hidden [B, L, H]}. */
  private float[] pool(TokenBatch batch, int row, FloatBuffer hidden) {
    int width = config.encoder().hiddenSize();
    float[] pooled = new float[width];
    int first = row * batch.length();
    int tokens = config.pooling() == Pooling.CLS ? 1 : batch.tokenCount(row); // rows are right-padded
    for (int t = first; t < first + tokens; t++) {
      for (int h = 0; h < width; h++) {
        pooled[h] += hidden.get(t * width + h);
      }
    }
    scale(pooled, 1f / Math.max(tokens, 1));
    return pooled;
  }

  /** Projected (if configured) and normalised (if configured) pooled states. */
  private float[] embedding(float[] pooled) {
    float[] e = pooled;
    if (projectionWeight != null) {
      e = new float[projectionWeight.length];
      for (int i = 0; i < e.length; i++) {
        e[i] = DualEncoderRanker.dot(projectionWeight[i], pooled) + projectionBias[i];
      }
    }
    if (config.normalize()) {
      scale(e, 1f / (float) Math.max(Math.sqrt(DualEncoderRanker.dot(e, e)), 1e-12));
    }
    return e;
  }

  private static void scale(float[] v, float factor) {
    for (int i = 0; i < v.length; i++) {
      v[i] *= factor;
    }
  }

  private static LongBuffer longs(int[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return LongBuffer.wrap(out);
  }

  @Override
  public void close() {
    try {
      querySession.close();
      if (documentSession != querySession) {
        documentSession.close();
      }
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    } finally {
      tokenizer.close();
    }
  }
}
