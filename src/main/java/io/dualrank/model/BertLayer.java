package io.dualrank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;

/**
 * One post-LayerNorm transformer layer as in HuggingFace BERT. Inputs {@code x [B, L, H]} and the additive
 * mask {@code [B, 1, 1, L]}:
 *
 * <pre>
 *   h   = LayerNorm(x + dropout(SelfAttention(x, mask)))
 *   out = LayerNorm(h + dropout(W_2 gelu(W_1 h + b_1) + b_2)),  gelu(z) = z Φ(z) (exact, erf)
 * </pre>
 */
final class BertLayer extends AbstractBlock {
  private final float dropout;
  private final MultiHeadSelfAttention attention;
  private final LayerNorm attentionNorm;
  private final Linear intermediate;
  private final Linear output;
  private final LayerNorm outputNorm;
  private Projections projections = Projections.FP32;

  BertLayer(BertConfig config) {
    dropout = config.dropout();
    attention = addChildBlock("attention", new MultiHeadSelfAttention(config));
    attentionNorm = addChildBlock("attentionNorm", BertBlocks.layerNorm(config));
    intermediate = addChildBlock("intermediate", BertBlocks.linear(config.intermediateSize()));
    output = addChildBlock("output", BertBlocks.linear(config.hiddenSize()));
    outputNorm = addChildBlock("outputNorm", BertBlocks.layerNorm(config));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray attended = attention.forward(ps, inputs, training).head();
    NDArray h = attentionNorm.forward(ps,
        new NDList(x.add(Dropout.dropout(attended, dropout, training).head())), training).head();
    NDArray activated = Activation.gelu(projections.project(intermediate, ps, h, training));
    NDArray projected = projections.project(output, ps, activated, training);
    return outputNorm.forward(ps, new NDList(h.add(Dropout.dropout(projected, dropout, training).head())), training);
  }

  /** The format of this layer's matrix products (float32 until set); INT8 packs the current weights. */
  void setMatrixPrecision(MatrixPrecision precision) {
    projections.close();
    projections = new Projections(precision, intermediate, output);
    attention.setMatrixPrecision(precision);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    attention.initialize(manager, dataType, inputShapes);
    attentionNorm.initialize(manager, dataType, x);
    intermediate.initialize(manager, dataType, x);
    output.initialize(manager, dataType, intermediate.getOutputShapes(new Shape[] {x}));
    outputNorm.initialize(manager, dataType, x);
  }

  /** HuggingFace names under {@code <prefix>} = {@code encoder.layer.<i>}. */
  void putHuggingFaceParameters(String prefix, Map<String, Parameter> out) {
    attention.putHuggingFaceParameters(prefix + ".attention", out);
    BertBlocks.putLayerNorm(prefix + ".attention.output.LayerNorm", attentionNorm, out);
    BertBlocks.putLinear(prefix + ".intermediate.dense", intermediate, out);
    BertBlocks.putLinear(prefix + ".output.dense", output, out);
    BertBlocks.putLayerNorm(prefix + ".output.LayerNorm", outputNorm, out);
  }
}
