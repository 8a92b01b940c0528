package io.dualrank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;
import io.dualrank.util.Tensors;

/**
 * BERT's multi-head self-attention with output projection. Inputs {@code x [B, L, H]} and an additive
 * mask {@code m [B, 1, 1, L]} (0 for tokens, a large negative for padding); per head h with {@code d = H /
 * heads}: {@code A_h = dropout(softmax(Q_h K_hᵀ / √d + m)) V_h}, where {@code Q = x W_qᵀ + b_q} etc.;
 * output {@code concat_h(A_h) W_oᵀ + b_o} of shape {@code [B, L, H]} (no residual, no dropout).
 */
final class MultiHeadSelfAttention extends AbstractBlock {
  private final int hidden;
  private final int heads;
  private final float dropout;
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;
  private Projections projections = Projections.FP32;

  MultiHeadSelfAttention(BertConfig config) {
    hidden = config.hiddenSize();
    heads = config.numHeads();
    dropout = config.dropout();
    query = addChildBlock("query", BertBlocks.linear(hidden));
    key = addChildBlock("key", BertBlocks.linear(hidden));
    value = addChildBlock("value", BertBlocks.linear(hidden));
    output = addChildBlock("output", BertBlocks.linear(hidden));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray mask = inputs.get(1);
    long batch = x.getShape().get(0);
    long length = x.getShape().get(1);
    NDArray q = splitHeads(projections.project(query, ps, x, training), batch, length);
    NDArray k = splitHeads(projections.project(key, ps, x, training), batch, length);
    NDArray v = splitHeads(projections.project(value, ps, x, training), batch, length);
    // In place: each [B, heads, L, L] array not made is one pass over memory and one allocation saved.
    // The divisor is a torch-owned scalar tensor: autograd keeps it for the backward pass.
    NDArray raw = projections.precision().matMul(q, k.transpose(0, 1, 3, 2));
    NDArray scores = raw.divi(Tensors.scalar(raw, Math.sqrt((double) hidden / heads))).addi(mask);
    NDArray probabilities = Dropout.dropout(scores.softmax(-1), dropout, training).head();
    NDArray context = projections.precision().matMul(probabilities, v).transpose(0, 2, 1, 3).reshape(batch, length, hidden);
    return new NDList(projections.project(output, ps, context, training));
  }

  /** The format of the matrix products; INT8 packs the projections' current weights. */
  void setMatrixPrecision(MatrixPrecision precision) {
    projections.close();
    projections = new Projections(precision, query, key, value, output);
  }

  /** {@code [B, L, H] -> [B, heads, L, H / heads]}. */
  private NDArray splitHeads(NDArray t, long batch, long length) {
    return t.reshape(batch, length, heads, hidden / heads).transpose(0, 2, 1, 3);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Linear projection : new Linear[] {query, key, value, output}) {
      projection.initialize(manager, dataType, inputShapes[0]);
    }
  }

  /** HuggingFace names: {@code <prefix>.self.{query,key,value}.*}, {@code <prefix>.output.dense.*}. */
  void putHuggingFaceParameters(String prefix, Map<String, Parameter> out) {
    BertBlocks.putLinear(prefix + ".self.query", query, out);
    BertBlocks.putLinear(prefix + ".self.key", key, out);
    BertBlocks.putLinear(prefix + ".self.value", value, out);
    BertBlocks.putLinear(prefix + ".output.dense", output, out);
  }
}
