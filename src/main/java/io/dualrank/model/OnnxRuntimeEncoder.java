package io.dualrank.model;

import ai.djl.nn.core.Linear;
import io.dualrank.data.Document;
import io.dualrank.text.WordPieceTokenizer;
import io.dualrank.util.Progress;
import java.util.List;

/**
 * A dual encoder run by ONNX Runtime ({@link OnnxBert}): with a pre-trained encoder's own weights
 * ({@link #pretrained}), with those of a {@link DualEncoderRanker} ({@link #of}), or a graph exported by others
 * run as is ({@link OnnxDirectory}). Pooling of hidden states, projection and normalisation are done here as
 * {@link DualEncoderBlock} does them, on the same tokenisation and {@link LengthBatches}: the DJL model's
 * embeddings up to float rounding.
 */
public final class OnnxRuntimeEncoder implements DenseEncoder {
  private final WordPieceTokenizer tokenizer;
  private final int maxQueryLength;
  private final int maxLength;
  private final String output;
  private final Pooling pooling;
  private final Projection projection;
  private final boolean normalize;
  private final int dimension;
  private final OnnxBert queryEncoder;
  private final OnnxBert documentEncoder;

  /**
   * Embeds texts of at most {@code maxQueryLength} (queries) and {@code maxLength} (documents) word pieces as
   * the graphs' {@code output} (see {@link OnnxBert#rows}: hidden states pooled as {@code pooling} says),
   * projected by {@code projection} (null for none), then L2-normalised if {@code normalize}; owns the tokenizer
   * and graphs.
   */
  OnnxRuntimeEncoder(WordPieceTokenizer tokenizer, int maxQueryLength, int maxLength, String output, Pooling pooling,
      Projection projection, boolean normalize, int dimension, OnnxBert queryEncoder, OnnxBert documentEncoder) {
    this.tokenizer = tokenizer;
    this.maxQueryLength = maxQueryLength;
    this.maxLength = maxLength;
    this.output = output;
    this.pooling = pooling;
    this.projection = projection;
    this.normalize = normalize;
    this.dimension = dimension;
    this.queryEncoder = queryEncoder;
    this.documentEncoder = documentEncoder;
  }

  private static OnnxRuntimeEncoder withConfig(RankerConfig config, OnnxBert queryEncoder, OnnxBert documentEncoder,
      Projection projection) {
    return new OnnxRuntimeEncoder(PretrainedEncoder.byId(config.tokenizer()).tokenizer(), config.maxQueryLength(),
        config.maxLength(), OnnxBert.HIDDEN_STATES, config.pooling(), projection, config.normalize(),
        config.embeddingDimension(), queryEncoder, documentEncoder);
  }

  /**
   * ONNX Runtime on the pre-trained encoder {@code config} was initialised from, with its own weights: what
   * an untrained dual encoder of that config computes. The config must have no projection.
   */
  public static OnnxRuntimeEncoder pretrained(RankerConfig config, int threads) {
    if (config.architecture() != Architecture.DUAL_ENCODER || config.projection() > 0) {
      throw new IllegalArgumentException("a pre-trained encoder embeds as a dual encoder without projection, not as "
          + config.architecture() + " with projection " + config.projection());
    }
    OnnxBert encoder = new OnnxBert(PretrainedEncoder.byId(config.init()), threads);
    return withConfig(config, encoder, encoder, null);
  }

  /**
   * A snapshot of {@code model}'s weights in ONNX Runtime (later changes to the model do not reach it).
   *
   * @throws IllegalArgumentException unless {@link #runs} the model's config
   */
  public static OnnxRuntimeEncoder of(DualEncoderRanker model, int threads) {
    RankerConfig config = model.config();
    if (!runs(config)) {
      throw new IllegalArgumentException("the encoder " + config.encoder() + " has not the shape of "
          + config.tokenizer() + ", whose ONNX graph ONNX Runtime would run");
    }
    DualEncoderBlock block = model.dualEncoderBlock();
    OnnxBert queryEncoder = new OnnxBert(config, block.encoder(true), threads);
    OnnxBert documentEncoder = config.sharedTowers() ? queryEncoder : new OnnxBert(config, block.encoder(false), threads);
    return withConfig(config, queryEncoder, documentEncoder,
        block.projection() == null ? null : Projection.of(block.projection()));
  }

  /** Whether {@link #of} runs dual encoders of this config: their encoder has their tokenizer's graph's shape. */
  public static boolean runs(RankerConfig config) {
    return config.architecture() == Architecture.DUAL_ENCODER && OnnxBert.fits(config);
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public boolean normalized() {
    return normalize;
  }

  @Override
  public float[][] encodeQueries(List<String> queries) {
    return encode(queryEncoder, queries, maxQueryLength);
  }

  @Override
  public float[][] encodeDocuments(List<Document> documents) {
    return encode(documentEncoder, documents.stream().map(Document::fullText).toList(), maxLength);
  }

  private float[][] encode(OnnxBert encoder, List<String> texts, int maxLength) {
    return LengthBatches.embed(tokenizer, texts, maxLength, batch -> {
      float[][] rows = encoder.rows(batch, output, pooling);
      for (int i = 0; i < rows.length; i++) {
        rows[i] = embedding(rows[i]);
      }
      return rows;
    }, Progress.silent());
  }

  /** Projected (if configured) and normalised (if configured) pooled states. */
  private float[] embedding(float[] pooled) {
    float[] e = projection == null ? pooled : projection.apply(pooled);
    if (normalize) {
      float inverseNorm = 1f / (float) Math.max(Math.sqrt(DualEncoderRanker.dot(e, e)), 1e-12);
      for (int i = 0; i < e.length; i++) {
        e[i] *= inverseNorm;
      }
    }
    return e;
  }

  /** A linear map {@code y = W x + b}, W {@code [out][in]}, copied from a DJL {@link Linear}. */
  record Projection(float[][] weight, float[] bias) {
    static Projection of(Linear linear) {
      var parameters = linear.getParameters();
      var weight = parameters.get("weight").getArray();
      return new Projection(LengthBatches.rows(weight.toFloatArray(), Math.toIntExact(weight.getShape().get(0))),
          parameters.get("bias").getArray().toFloatArray());
    }

    float[] apply(float[] x) {
      float[] y = new float[weight.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = DualEncoderRanker.dot(weight[i], x) + bias[i];
      }
      return y;
    }
  }

  @Override
  public void close() {
    try {
      queryEncoder.close();
      if (documentEncoder != queryEncoder) {
        documentEncoder.close();
      }
    } finally {
      tokenizer.close();
    }
  }
}
