package io.dualrank.model;

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
import java.util.List;
import java.util.Map;

/**
 * A pre-trained encoder's ONNX model run by ONNX Runtime as a {@link DenseEncoder}, with the tokenisation,
 * batching, pooling and normalisation of a dual-encoder configuration: the reference that {@link
 * DualEncoderRanker} is measured against (same embeddings while the DE is untrained). Pooling is done
 * here, on the model's last hidden states.
 */
public final class OnnxRuntimeEncoder implements DenseEncoder {
  private final RankerConfig config;
  private final WordPieceTokenizer tokenizer;
  private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  /**
   * The ONNX model of the encoder {@code config} was initialised from, on {@code threads} intra-op threads.
   * The config must have no projection (ONNX Runtime runs the bare encoder).
   */
  public OnnxRuntimeEncoder(RankerConfig config, int threads) {
    if (config.architecture() != Architecture.DUAL_ENCODER || config.projection() > 0) {
      throw new IllegalArgumentException("ONNX Runtime encodes with a pre-trained encoder only: a dual encoder"
          + " without projection, not " + config.architecture() + " with projection " + config.projection());
    }
    PretrainedEncoder pretrained = PretrainedEncoder.byId(config.init());
    this.config = config;
    tokenizer = PretrainedEncoder.byId(config.tokenizer()).tokenizer();
    try (InputStream in = pretrained.openOnnx(); OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      session = environment.createSession(in.readAllBytes(), options);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime cannot load " + pretrained.onnxResource(), e);
    }
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
    return LengthBatches.embed(tokenizer, queries, config.maxQueryLength(),
        this::embed, Progress.silent());
  }

  @Override
  public float[][] encodeDocuments(List<Document> documents) {
    return LengthBatches.embed(tokenizer, documents.stream().map(Document::fullText).toList(), config.maxLength(),
        this::embed, Progress.silent());
  }

  private float[][] embed(TokenBatch batch) {
    long[] shape = {batch.size(), batch.length()};
    try (OnnxTensor ids = OnnxTensor.createTensor(environment, longs(batch.inputIds()), shape);
        OnnxTensor mask = OnnxTensor.createTensor(environment, longs(batch.attentionMask()), shape);
        OnnxTensor types = OnnxTensor.createTensor(environment, longs(batch.tokenTypeIds()), shape);
        OrtSession.Result result = session.run(
            Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
      FloatBuffer hidden = ((OnnxTensor) result.get("last_hidden_state").orElseThrow()).getFloatBuffer();
      return pool(batch, hidden);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on a batch of " + batch.size(), e);
    }
  }

  /** Pooled (and, if configured, L2-normalised) rows of hidden states {@code [B, L, H]}. */
  private float[][] pool(TokenBatch batch, FloatBuffer hidden) {
    int width = config.encoder().hiddenSize();
    float[][] out = new float[batch.size()][width];
    for (int row = 0; row < batch.size(); row++) {
      float[] e = out[row];
      int first = row * batch.length();
      int tokens = config.pooling() == Pooling.CLS ? 1 : batch.tokenCount(row);
      for (int t = first; t < first + tokens; t++) {
        for (int h = 0; h < width; h++) {
          e[h] += hidden.get(t * width + h);
        }
      }
      scale(e, 1f / Math.max(tokens, 1));
      if (config.normalize()) {
        scale(e, 1f / (float) Math.max(Math.sqrt(DualEncoderRanker.dot(e, e)), 1e-12));
      }
    }
    return out;
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
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    } finally {
      tokenizer.close();
    }
  }
}
