package io.dualrank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A BERT encoder numerically equivalent to HuggingFace's {@code BertModel} without pooler.
 *
 * <p>Inputs (int64, {@code [B, L]}, the order of {@link io.dualrank.text.TokenBatch#toNDList}): input ids,
 * attention mask (1 token, 0 padding), token type ids. Output: the last hidden states {@code [B, L, H]}.
 * Padding is excluded by the additive attention mask {@code (1 - mask) · min(float32)} on the keys; an
 * optional fourth input, an additive bias on the attention scores broadcastable to {@code [B, 1, L, L]}, is
 * added to it.
 * Dropout is active only when {@code forward(..., training = true)}.
 *
 * <p>A plain DJL {@link ai.djl.nn.Block}: it can be a child of bigger blocks, trained with a {@code
 * GradientCollector}, and saved or loaded with {@code saveParameters} / {@code loadParameters} (same
 * config). Weights in HuggingFace names and layouts are loaded by {@link #loadHuggingFaceWeights}.
 */
public final class BertEncoder extends AbstractBlock {
  /** HuggingFace's {@code initializer_range}. */
  public static final float INITIALIZER_STD = 0.02f;

  private final BertConfig config;
  private final BertEmbeddings embeddings;
  private final List<BertLayer> layers = new ArrayList<>();
  private MatrixPrecision precision = MatrixPrecision.FP32;

  /**
   * An uninitialised encoder. Random initialisation as in HuggingFace: weight matrices and embedding
   * tables from a normal of std {@link #INITIALIZER_STD} truncated at two std, biases 0, LayerNorm scale
   * 1 and shift 0.
   */
  public BertEncoder(BertConfig config) {
    this.config = config;
    embeddings = addChildBlock("embeddings", new BertEmbeddings(config));
    for (int i = 0; i < config.numLayers(); i++) {
      layers.add(addChildBlock("layer" + i, new BertLayer(config)));
    }
    setInitializer(new TruncatedNormalInitializer(INITIALIZER_STD), Parameter.Type.WEIGHT);
  }

  public BertConfig config() {
    return config;
  }

  /**
   * Sets the number format of every layer's matrix products (float32 until set); parameters stay float32.
   * {@link MatrixPrecision#INT8} (inference only) quantises the weights as they are now: set it again after
   * changing them. Returns this.
   */
  public BertEncoder setMatrixPrecision(MatrixPrecision precision) {
    layers.forEach(layer -> layer.setMatrixPrecision(precision));
    this.precision = precision;
    return this;
  }

  /** The format of the layers' matrix products. */
  public MatrixPrecision matrixPrecision() {
    return precision;
  }

  /** Input shapes to {@code initialize} this block with: ids, mask and token types, all {@code [batch, length]}. */
  public static Shape[] inputShapes(long batch, long length) {
    Shape shape = new Shape(batch, length);
    return new Shape[] {shape, shape, shape};
  }

  /** Initialises all parameters randomly (see the constructor) on {@code manager}; returns this. */
  public BertEncoder initializeParameters(NDManager manager) {
    initialize(manager, DataType.FLOAT32, inputShapes(1, 1));
    return this;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray ids = inputs.get(0);
    NDArray mask = inputs.get(1);
    NDArray types = inputs.get(2);
    long batch = ids.getShape().get(0);
    long length = ids.getShape().get(1);
    NDArray hidden;
    NDArray additiveMask;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      additiveMask = mask.toType(DataType.FLOAT32, false).neg().add(1f).mul(-Float.MAX_VALUE)
          .reshape(batch, 1, 1, length);
      if (inputs.size() > 3) {
        additiveMask = additiveMask.add(inputs.get(3));
      }
      hidden = embeddings.forward(ps, new NDList(ids, types), training).head();
      NDScope.unregister(additiveMask, hidden);
    }
    // Each layer in its own scope: its intermediates are freed as soon as it is done (autograd keeps
    // what the backward pass needs by itself).
    for (BertLayer layer : layers) {
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDScope.register(hidden);
        hidden = layer.forward(ps, new NDList(hidden, additiveMask), training).head();
        NDScope.unregister(hidden);
      }
    }
    additiveMask.close();
    NDScope.register(hidden); // to the caller's scope, if any, as if created there
    return new NDList(hidden);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return embeddings.getOutputShapes(inputShapes);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    embeddings.initialize(manager, dataType, inputShapes[0], inputShapes[2]);
    Shape hidden = getOutputShapes(inputShapes)[0];
    Shape mask = new Shape(hidden.get(0), 1, 1, hidden.get(1));
    for (BertLayer layer : layers) {
      layer.initialize(manager, dataType, hidden, mask);
    }
  }

  /**
   * This encoder's parameters under their HuggingFace {@code BertModel} names, e.g. {@code
   * embeddings.word_embeddings.weight}, {@code encoder.layer.3.attention.self.query.bias}; weights of
   * dense layers are {@code [out, in]} as in PyTorch.
   */
  public Map<String, Parameter> huggingFaceParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    embeddings.putHuggingFaceParameters(out);
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).putHuggingFaceParameters("encoder.layer." + i, out);
    }
    return out;
  }

  /**
   * Copies HuggingFace-named weights (see {@link #huggingFaceParameters}) into this initialised encoder.
   * Every parameter must be present with its exact shape.
   *
   * @return the names in {@code weights} that are not parameters of this encoder (e.g. a pooler)
   */
  public Set<String> loadHuggingFaceWeights(Map<String, FloatTensor> weights) {
    if (!isInitialized()) {
      throw new IllegalStateException("initialise the encoder before loading weights");
    }
    return BertBlocks.copyWeights(huggingFaceParameters(), weights);
  }
}
