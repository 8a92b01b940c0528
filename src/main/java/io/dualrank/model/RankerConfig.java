package io.dualrank.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Everything that defines a ranker's architecture, saved as {@code config.json} beside its weights.
 *
 * @param architecture cross-encoder (CA) or dual-encoder (DE)
 * @param init where the encoder weights came from: a {@link PretrainedEncoder} id, or {@code random}
 * @param tokenizer the {@link PretrainedEncoder} id whose word-piece vocabulary the model uses
 * @param encoder the BERT shape
 * @param maxQueryLength word pieces kept of a query
 * @param maxLength CA: word pieces of the whole {@code [CLS] q [SEP] d [SEP]} input; DE: of a document
 * @param pooling DE: how a tower pools its hidden states
 * @param sharedTowers DE: one encoder for queries and documents (true) or one each
 * @param projection DE: the embedding dimension k of a linear projection after pooling; 0 for none (k = H)
 * @param normalize DE: L2-normalise embeddings, so that the score is cosine / temperature
 * @param temperature DE: τ dividing the inner product (1 for none); the initial value when learned
 * @param learnTemperature DE: τ is a trained parameter (stored as log τ)
 * @param pooler CA: a pooler {@code act(W h_[CLS] + b)} before the head, as in transformers'
 *     {@code BertForSequenceClassification} (act = tanh) and its BERT-likes ({@link #poolerActivation}); false:
 *     the head reads {@code h_[CLS]} itself
 * @param segmentCosine CA: add {@code cos(mean_q h, mean_d h) / temperature} to the head's score, the means
 *     taken over the query segment's and the document segment's states of the joint encoding, with the head
 *     zero-initialised, so that the untrained CA ranks as its body's mean-pooled embeddings do; left out of the
 *     JSON when false, so the configs (and stage keys) of models without it are unchanged
 * @param poolerActivation CA with a pooler: its activation, tanh (BERT), ReLU (DistilBERT) or gelu (ELECTRA);
 *     {@link PoolerActivation#TANH} when absent (null) and without a pooler, and left out of the JSON when tanh
 */
public record RankerConfig(
    Architecture architecture,
    String init,
    String tokenizer,
    BertConfig encoder,
    int maxQueryLength,
    int maxLength,
    Pooling pooling,
    boolean sharedTowers,
    int projection,
    boolean normalize,
    float temperature,
    boolean learnTemperature,
    boolean pooler,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean segmentCosine,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = PoolerActivation.TanhFilter.class)
        PoolerActivation poolerActivation) {

  public static final String RANDOM_INIT = "random";

  public RankerConfig {
    if (maxQueryLength < 3 || maxLength < 3) {
      throw new IllegalArgumentException("max lengths must be at least 3 word pieces, got query "
          + maxQueryLength + ", length " + maxLength);
    }
    if (maxLength > encoder.maxPositions() || maxQueryLength > encoder.maxPositions()) {
      throw new IllegalArgumentException("max length " + Math.max(maxLength, maxQueryLength)
          + " exceeds the encoder's " + encoder.maxPositions() + " positions");
    }
    if (architecture == Architecture.CROSS_ENCODER && maxQueryLength >= maxLength - 2) {
      throw new IllegalArgumentException("a cross-encoder's max query length " + maxQueryLength
          + " must leave room for a document within max length " + maxLength);
    }
    if (pooler && architecture != Architecture.CROSS_ENCODER) {
      throw new IllegalArgumentException("only a cross-encoder has a pooler");
    }
    if (poolerActivation == null) {
      poolerActivation = PoolerActivation.TANH;
    }
    if (!pooler && poolerActivation != PoolerActivation.TANH) {
      throw new IllegalArgumentException("a " + poolerActivation + " pooler activation needs a pooler");
    }
    if (segmentCosine && architecture != Architecture.CROSS_ENCODER) {
      throw new IllegalArgumentException("only a cross-encoder has a segment-cosine head");
    }
    if (projection < 0 || !(temperature > 0)) {
      throw new IllegalArgumentException("need projection >= 0 and temperature > 0, got " + projection
          + ", " + temperature);
    }
  }

  /** A ranker without pooler (see the record's parameters). */
  public RankerConfig(Architecture architecture, String init, String tokenizer, BertConfig encoder, int maxQueryLength,
      int maxLength, Pooling pooling, boolean sharedTowers, int projection, boolean normalize, float temperature,
      boolean learnTemperature) {
    this(architecture, init, tokenizer, encoder, maxQueryLength, maxLength, pooling, sharedTowers, projection,
        normalize, temperature, learnTemperature, false, false, PoolerActivation.TANH);
  }

  /** The embedding dimension of a DE: the projection's, else the encoder width. */
  public int embeddingDimension() {
    return projection > 0 ? projection : encoder.hiddenSize();
  }

  /** A cross-encoder over the given encoder, scoring from its [CLS] state or its mean-pooled states. */
  public static RankerConfig crossEncoder(String init, String tokenizer, BertConfig encoder, int maxQueryLength,
      int maxLength, Pooling pooling) {
    return new RankerConfig(Architecture.CROSS_ENCODER, init, tokenizer, encoder, maxQueryLength, maxLength,
        pooling, true, 0, false, 1f, false);
  }

  /** This cross-encoder with a segment-cosine head at temperature τ (see {@link #segmentCosine}). */
  public RankerConfig withSegmentCosine(float temperature) {
    return new RankerConfig(architecture, init, tokenizer, encoder, maxQueryLength, maxLength, pooling, sharedTowers,
        projection, normalize, temperature, learnTemperature, pooler, true, poolerActivation);
  }

  /** This config with other word-piece lengths (the weights are the same). */
  public RankerConfig withLengths(int maxQueryLength, int maxLength) {
    return new RankerConfig(architecture, init, tokenizer, encoder, maxQueryLength, maxLength, pooling, sharedTowers,
        projection, normalize, temperature, learnTemperature, pooler, segmentCosine, poolerActivation);
  }
}
