package io.dualrank.model;

import io.dualrank.text.WordPieceTokenizer;
import java.util.List;

/**
 * A cross-encoder run by ONNX Runtime ({@link OnnxBert}) with the weights of a {@link CrossEncoderRanker}
 * ({@link #of}: its scores up to float rounding, on the same tokenisation and batches, about 1.5 times as fast on
 * CPU), or a graph exported by others that scores pairs itself, run as is ({@link OnnxDirectory}).
 */
public final class OnnxRuntimeCrossEncoder implements ScoringModel {
  private final WordPieceTokenizer tokenizer;
  private final int maxQueryLength;
  private final int maxLength;
  private final String output;
  private final Pooling pooling;
  private final OnnxRuntimeEncoder.Projection head;
  private final float segmentCosineScale;
  private final OnnxBert encoder;

  /**
   * Scores {@code [CLS] q [SEP] d [SEP]} rows (queries of at most {@code maxQueryLength}, rows of at most {@code
   * maxLength} word pieces) as {@code head} of the graph's {@code output} row (see {@link OnnxBert#rows}: hidden
   * states pooled as {@code pooling} says), or, with no head, as the output's one value per row; plus, with
   * {@code segmentCosineScale} 1/τ above 0, the cosine of the hidden states' query- and document-segment means
   * over τ ({@link RankerConfig#segmentCosine}); owns the tokenizer and graph.
   */
  OnnxRuntimeCrossEncoder(WordPieceTokenizer tokenizer, int maxQueryLength, int maxLength, String output,
      Pooling pooling, OnnxRuntimeEncoder.Projection head, float segmentCosineScale, OnnxBert encoder) {
    this.tokenizer = tokenizer;
    this.maxQueryLength = maxQueryLength;
    this.maxLength = maxLength;
    this.output = output;
    this.pooling = pooling;
    this.head = head;
    this.segmentCosineScale = segmentCosineScale;
    this.encoder = encoder;
  }

  /**
   * A snapshot of {@code model}'s weights in ONNX Runtime (later changes to the model do not reach it).
   *
   * @throws IllegalArgumentException unless {@link #runs} the model's config
   */
  public static OnnxRuntimeCrossEncoder of(CrossEncoderRanker model, int threads) {
    RankerConfig config = model.config();
    if (!runs(config)) {
      throw new IllegalArgumentException("the encoder " + config.encoder() + " has not the shape of "
          + config.tokenizer() + ", whose ONNX graph ONNX Runtime would run");
    }
    CrossEncoderBlock block = model.crossEncoderBlock();
    return new OnnxRuntimeCrossEncoder(PretrainedEncoder.byId(config.tokenizer()).tokenizer(), config.maxQueryLength(),
        config.maxLength(), OnnxBert.HIDDEN_STATES, config.pooling(), OnnxRuntimeEncoder.Projection.of(block.head()),
        config.segmentCosine() ? 1f / config.temperature() : 0f, new OnnxBert(config, block.encoder(), threads));
  }

  /**
   * Whether {@link #of} runs cross-encoders of this config: they have no pooler and their encoder has their
   * tokenizer's graph's shape.
   */
  public static boolean runs(RankerConfig config) {
    return config.architecture() == Architecture.CROSS_ENCODER && !config.pooler() && OnnxBert.fits(config);
  }

  @Override
  public Architecture architecture() {
    return Architecture.CROSS_ENCODER;
  }

  @Override
  public float[] scoreTexts(String query, List<String> documents) {
    return CrossEncoderRanker.scorePairs(tokenizer, maxQueryLength, maxLength, query, documents, batch -> {
      OnnxBert.Tokens pooled = OnnxBert.Tokens.pooledBy(pooling);
      float[][][] rows = encoder.rows(batch, output, segmentCosineScale > 0
          ? List.of(pooled, OnnxBert.Tokens.QUERY_SEGMENT, OnnxBert.Tokens.DOCUMENT_SEGMENT) : List.of(pooled));
      float[] scores = new float[batch.size()];
      for (int i = 0; i < scores.length; i++) {
        scores[i] = head == null ? rows[0][i][0] : head.apply(rows[0][i])[0];
        if (segmentCosineScale > 0) {
          scores[i] += (float) (cosine(rows[1][i], rows[2][i]) * segmentCosineScale);
        }
      }
      return scores;
    });
  }

  private static double cosine(float[] a, float[] b) {
    double norms = Math.sqrt((double) DualEncoderRanker.dot(a, a) * DualEncoderRanker.dot(b, b));
    return DualEncoderRanker.dot(a, b) / Math.max(norms, 1e-12);
  }

  @Override
  public void close() {
    try {
      encoder.close();
    } finally {
      tokenizer.close();
    }
  }
}
