package io.dualrank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;

/**
 * The cross-attention ranker as a block: {@code score = w · h_[CLS] + b}, where h is BERT's last hidden
 * state of the pair {@code [CLS] q [SEP] d [SEP]}. Inputs: ids, mask, token types {@code [B, L]}; output:
 * scores {@code [B]}.
 */
final class CrossEncoderBlock extends AbstractBlock {
  private final BertEncoder encoder;
  private final Linear head;

  CrossEncoderBlock(BertConfig config) {
    encoder = addChildBlock("encoder", new BertEncoder(config));
    head = addChildBlock("head", Linear.builder().setUnits(1).build());
    head.setInitializer(new TruncatedNormalInitializer(BertEncoder.INITIALIZER_STD), Parameter.Type.WEIGHT);
  }

  BertEncoder encoder() {
    return encoder;
  }

  /** The linear head on the [CLS] state, {@code [1, H]}. */
  Linear head() {
    return head;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray hidden = encoder.forward(ps, inputs, training).head();
    NDArray cls = hidden.get(":, 0, :");
    return new NDList(head.forward(ps, new NDList(cls), training).head().reshape(-1));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    encoder.initialize(manager, dataType, inputShapes);
    head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), encoder.config().hiddenSize()));
  }
}
