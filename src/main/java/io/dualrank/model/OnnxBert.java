package io.dualrank.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.dualrank.text.TokenBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;

/**
 * A BERT encoder run by ONNX Runtime: a pre-trained encoder's ONNX graph, with its own weights or with
 * those of a {@link BertEncoder} of the same shape. It computes what {@link BertEncoder} computes, up to
 * float rounding, and on CPU about 1.5 times as fast (ONNX Runtime's matrix products beat those of
 * PyTorch's MKL on this project's machine; see docs/results/benchmarks.md). Thread-safe.
 */
final class OnnxBert implements AutoCloseable {
  private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  /** The pre-trained encoder with its own weights, on {@code threads} intra-op threads. */
  OnnxBert(PretrainedEncoder pretrained, int threads) {
    this(graph(pretrained), threads);
  }

  /** {@code pretrained}'s graph with {@code encoder}'s weights (a snapshot: later changes do not reach it). */
  OnnxBert(PretrainedEncoder pretrained, BertEncoder encoder, int threads) {
    this(withWeights(graph(pretrained), encoder), threads);
  }

  private OnnxBert(byte[] graph, int threads) {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      session = environment.createSession(graph, options);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime cannot load the encoder", e);
    }
  }

  /**
   * Whether a ranker of this config runs on its tokenizer's pre-trained graph: its tokenizer is a {@link
   * PretrainedEncoder}'s and its encoder has that graph's shape (dropout aside: there is none at inference).
   */
  static boolean fits(RankerConfig config) {
    return PretrainedEncoder.find(config.tokenizer())
        .map(pretrained -> config.encoder().withDropout(pretrained.config().dropout()).equals(pretrained.config()))
        .orElse(false);
  }

  /** The graph of {@code config}'s tokenizer with {@code encoder}'s weights (see {@link #fits}). */
  OnnxBert(RankerConfig config, BertEncoder encoder, int threads) {
    this(PretrainedEncoder.byId(config.tokenizer()), encoder, threads);
  }

  private static byte[] graph(PretrainedEncoder pretrained) {
    try (InputStream in = pretrained.openOnnx()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] withWeights(byte[] graph, BertEncoder encoder) {
    try {
      return OnnxInitializers.withHuggingFaceWeights(graph, BertBlocks.values(encoder.huggingFaceParameters()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The pooled last hidden states {@code [B][H]} of a batch: the [CLS] state, or the mean over each row's
   * real tokens (rows are right-padded).
   */
  float[][] pooled(TokenBatch batch, Pooling pooling) {
    return means(batch, List.of(Tokens.pooledBy(pooling)))[0];
  }

  /** Which of a batch's tokens a mean of hidden states takes. */
  enum Tokens {
    /** The first token of each row. */
    CLS,
    /** Every real (unpadded) token. */
    REAL,
    /** The real tokens of segment A (token type 0): {@code [CLS] q [SEP]} of a pair. */
    QUERY_SEGMENT,
    /** The real tokens of segment B (token type 1): {@code d [SEP]} of a pair. */
    DOCUMENT_SEGMENT;

    /** The tokens {@code pooling} averages. */
    static Tokens pooledBy(Pooling pooling) {
      return pooling == Pooling.CLS ? CLS : REAL;
    }

    boolean takes(TokenBatch batch, int row, int position) {
      int at = row * batch.length() + position;
      return switch (this) {
        case CLS -> position == 0;
        case REAL -> batch.attentionMask()[at] == 1;
        case QUERY_SEGMENT -> batch.attentionMask()[at] == 1 && batch.tokenTypeIds()[at] == 0;
        case DOCUMENT_SEGMENT -> batch.attentionMask()[at] == 1 && batch.tokenTypeIds()[at] == 1;
      };
    }
  }

  /** Means {@code [S][B][H]} of each row's last hidden states over the tokens of each of S selections. */
  float[][][] means(TokenBatch batch, List<Tokens> selections) {
    long[] shape = {batch.size(), batch.length()};
    try (OnnxTensor ids = OnnxTensor.createTensor(environment, longs(batch.inputIds()), shape);
        OnnxTensor mask = OnnxTensor.createTensor(environment, longs(batch.attentionMask()), shape);
        OnnxTensor types = OnnxTensor.createTensor(environment, longs(batch.tokenTypeIds()), shape);
        OrtSession.Result result = session.run(
            Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
      OnnxTensor output = (OnnxTensor) result.get("last_hidden_state").orElseThrow();
      int width = Math.toIntExact(output.getInfo().getShape()[2]);
      FloatBuffer hidden = output.getFloatBuffer();
      float[][][] out = new float[selections.size()][batch.size()][width];
      for (int s = 0; s < selections.size(); s++) {
        for (int row = 0; row < batch.size(); row++) {
          int tokens = 0;
          for (int position = 0; position < batch.length(); position++) {
            if (!selections.get(s).takes(batch, row, position)) {
              continue;
            }
            tokens++;
            int at = (row * batch.length() + position) * width;
            for (int h = 0; h < width; h++) {
              out[s][row][h] += hidden.get(at + h);
            }
          }
          for (int h = 0; h < width; h++) {
            out[s][row][h] /= Math.max(tokens, 1);
          }
        }
      }
      return out;
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on a batch of " + batch.size(), e);
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
    }
  }
}
