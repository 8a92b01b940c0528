package io.dualrank.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.dualrank.text.TokenBatch;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A BERT encoder run by ONNX Runtime: a pre-trained encoder's ONNX graph, with its own weights or with
 * those of a {@link BertEncoder} of the same shape, or a graph file run as is ({@link #open}). With the
 * pre-trained graph it computes what {@link BertEncoder} computes, up to float rounding, and on CPU about 1.5
 * times as fast (ONNX Runtime's matrix products beat those of PyTorch's MKL on this project's machine; see
 * docs/results/benchmarks.md). Inputs are fed by name: {@code input_ids}, {@code attention_mask} and, where the
 * graph has it, {@code token_type_ids} (int64 {@code [B, L]}). Thread-safe.
 */
final class OnnxBert implements AutoCloseable {
  static final String INPUT_IDS = "input_ids";
  static final String ATTENTION_MASK = "attention_mask";
  static final String TOKEN_TYPE_IDS = "token_type_ids";
  /** The output of BERT's last hidden states {@code [B, L, H]}. */
  static final String HIDDEN_STATES = "last_hidden_state";

  private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final boolean tokenTypes;

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
    tokenTypes = session.getInputNames().contains(TOKEN_TYPE_IDS);
  }

  private OnnxBert(OrtSession session) {
    this.session = session;
    tokenTypes = session.getInputNames().contains(TOKEN_TYPE_IDS);
  }

  /**
   * The graph in {@code file}, run as is on {@code threads} intra-op threads.
   *
   * @throws IOException naming the file when ONNX Runtime cannot load it, or when its inputs are not int64
   *     {@code input_ids}, {@code attention_mask} and optionally {@code token_type_ids}
   */
  static OnnxBert open(Path file, int threads) throws IOException {
    OrtSession session;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      session = OrtEnvironment.getEnvironment().createSession(file.toString(), options);
    } catch (OrtException e) {
      throw new IOException(file + ": ONNX Runtime cannot load it (" + e.getMessage() + ")", e);
    }
    try {
      checkInputs(file, session.getInputInfo());
      return new OnnxBert(session);
    } catch (OrtException e) {
      throw closing(session, new IOException(file + ": " + e.getMessage(), e));
    } catch (IOException e) {
      throw closing(session, e);
    } catch (RuntimeException e) {
      throw closing(session, e);
    }
  }

  /** {@code e}, after closing {@code session}. */
  private static <E extends Exception> E closing(OrtSession session, E e) {
    try {
      session.close();
    } catch (OrtException suppressed) {
      e.addSuppressed(suppressed);
    }
    return e;
  }

  private static void checkInputs(Path file, Map<String, NodeInfo> inputs) throws IOException {
    String expected = "; expected int64 [batch, sequence] " + INPUT_IDS + ", " + ATTENTION_MASK + " and optionally "
        + TOKEN_TYPE_IDS;
    for (Map.Entry<String, NodeInfo> input : inputs.entrySet()) {
      boolean known = List.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS).contains(input.getKey());
      if (!known || !(input.getValue().getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.INT64) {
        throw new IOException(file + ": graph input " + input.getKey() + " (" + input.getValue().getInfo() + ") is "
            + (known ? "not an int64 tensor" : "not one dualrank feeds") + expected);
      }
    }
    if (!inputs.containsKey(INPUT_IDS) || !inputs.containsKey(ATTENTION_MASK)) {
      throw new IOException(file + ": graph inputs " + inputs.keySet() + " lack " + INPUT_IDS + " or "
          + ATTENTION_MASK + expected);
    }
  }

  /** The graph's float outputs and their shapes ({@code -1} for a dynamic axis), in the graph's order. */
  Map<String, long[]> floatOutputs() {
    Map<String, long[]> out = new LinkedHashMap<>();
    try {
      session.getOutputInfo().forEach((name, info) -> {
        if (info.getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT) {
          out.put(name, t.getShape());
        }
      });
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
    return out;
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
   * One row per sequence of the batch from the float output {@code output}: of hidden states {@code [B, L, H]}
   * the [CLS] state or the mean over the row's real tokens (rows are right-padded), as {@code pooling} says; of
   * {@code [B, n]} the row as is; of {@code [B]} its one value.
   */
  float[][] rows(TokenBatch batch, String output, Pooling pooling) {
    return rows(batch, output, List.of(Tokens.pooledBy(pooling)))[0];
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

  /**
   * {@link #rows} for each of S token selections, from one run of the graph: {@code [S][B][H]}, the means of each
   * row's hidden states over the tokens of each selection; an output of {@code [B, n]} or {@code [B]} has no
   * tokens to select, and gives its rows once ({@code S = 1}).
   */
  float[][][] rows(TokenBatch batch, String output, List<Tokens> selections) {
    long[] shape = {batch.size(), batch.length()};
    try (OnnxTensor ids = OnnxTensor.createTensor(environment, longs(batch.inputIds()), shape);
        OnnxTensor mask = OnnxTensor.createTensor(environment, longs(batch.attentionMask()), shape);
        OnnxTensor types = OnnxTensor.createTensor(environment, longs(batch.tokenTypeIds()), shape);
        OrtSession.Result result = session.run(tokenTypes
            ? Map.of(INPUT_IDS, ids, ATTENTION_MASK, mask, TOKEN_TYPE_IDS, types)
            : Map.of(INPUT_IDS, ids, ATTENTION_MASK, mask), Set.of(output))) {
      OnnxTensor values = (OnnxTensor) result.get(output).orElseThrow();
      long[] valueShape = values.getInfo().getShape();
      FloatBuffer flat = values.getFloatBuffer();
      if (valueShape.length < 3) {
        float[] all = new float[flat.remaining()];
        flat.get(all);
        return new float[][][] {LengthBatches.rows(all, batch.size())};
      }
      int width = Math.toIntExact(valueShape[2]);
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
              out[s][row][h] += flat.get(at + h);
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
