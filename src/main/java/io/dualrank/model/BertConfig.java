package io.dualrank.model;

import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hyper-parameters of a BERT encoder, with HuggingFace's meaning.
 *
 * @param vocabSize word-piece vocabulary size
 * @param hiddenSize model width H
 * @param numLayers number of transformer layers
 * @param numHeads attention heads; must divide {@code hiddenSize}
 * @param intermediateSize width of the feed-forward layer (4H in BERT)
 * @param maxPositions longest sequence the position embeddings allow
 * @param typeVocabSize number of token types (2: query / document)
 * @param dropout dropout rate on embeddings, attention probabilities and sub-layer outputs (training only)
 * @param layerNormEps epsilon of every LayerNorm
 */
public record BertConfig(int vocabSize, int hiddenSize, int numLayers, int numHeads, int intermediateSize,
    int maxPositions, int typeVocabSize, float dropout, float layerNormEps) {

  /** BERT's defaults: dropout 0.1, LayerNorm epsilon 1e-12. */
  public static final float DEFAULT_DROPOUT = 0.1f;
  public static final float DEFAULT_LAYER_NORM_EPS = 1e-12f;

  private static final Pattern LAYER_NAME = Pattern.compile("encoder\\.layer\\.(\\d+)\\.");

  public BertConfig {
    if (vocabSize <= 0 || hiddenSize <= 0 || numLayers <= 0 || numHeads <= 0 || intermediateSize <= 0
        || maxPositions <= 0 || typeVocabSize <= 0) {
      throw new IllegalArgumentException(String.format(
          "sizes must be positive: vocab %d, hidden %d, layers %d, heads %d, intermediate %d, positions %d, types %d",
          vocabSize, hiddenSize, numLayers, numHeads, intermediateSize, maxPositions, typeVocabSize));
    }
    if (hiddenSize % numHeads != 0) {
      throw new IllegalArgumentException("numHeads " + numHeads + " does not divide hiddenSize " + hiddenSize);
    }
    if (!(dropout >= 0 && dropout < 1) || !(layerNormEps > 0)) {
      throw new IllegalArgumentException(
          "need 0 <= dropout < 1 and layerNormEps > 0, got " + dropout + ", " + layerNormEps);
    }
  }

  /**
   * A BERT-style configuration: intermediate size 4H, 512 positions, 2 token types, default dropout and
   * epsilon. Handy for small random test models.
   */
  public static BertConfig of(int vocabSize, int hiddenSize, int numLayers, int numHeads) {
    return new BertConfig(vocabSize, hiddenSize, numLayers, numHeads, 4 * hiddenSize, 512, 2,
        DEFAULT_DROPOUT, DEFAULT_LAYER_NORM_EPS);
  }

  /**
   * The configuration of HuggingFace-named BERT weights (see {@link BertEncoder#huggingFaceParameters}):
   * sizes from the shapes of the embedding tables and of layer 0's intermediate dense weight, layers by
   * counting {@code encoder.layer.<i>}; heads cannot be seen in the weights and are given; default dropout
   * and epsilon.
   */
  public static BertConfig fromHuggingFaceWeights(Map<String, FloatTensor> weights, int numHeads) {
    Shape words = shapeOf(weights, "embeddings.word_embeddings.weight");
    int layers = (int) weights.keySet().stream()
        .map(LAYER_NAME::matcher).filter(Matcher::lookingAt).map(m -> m.group(1)).distinct().count();
    return new BertConfig(
        (int) words.get(0),
        (int) words.get(1),
        layers,
        numHeads,
        (int) shapeOf(weights, "encoder.layer.0.intermediate.dense.weight").get(0),
        (int) shapeOf(weights, "embeddings.position_embeddings.weight").get(0),
        (int) shapeOf(weights, "embeddings.token_type_embeddings.weight").get(0),
        DEFAULT_DROPOUT,
        DEFAULT_LAYER_NORM_EPS);
  }

  private static Shape shapeOf(Map<String, FloatTensor> weights, String name) {
    FloatTensor tensor = weights.get(name);
    if (tensor == null) {
      throw new IllegalArgumentException("weights lack " + name);
    }
    return tensor.shape();
  }

  /** This configuration with another dropout rate (the same function at inference). */
  public BertConfig withDropout(float rate) {
    return new BertConfig(vocabSize, hiddenSize, numLayers, numHeads, intermediateSize, maxPositions, typeVocabSize,
        rate, layerNormEps);
  }

  /** Width of one attention head, H / heads. */
  public int headSize() {
    return hiddenSize / numHeads;
  }
}
