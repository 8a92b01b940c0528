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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cross-attention ranker as a block: {@code score = w · pool(h) + b}, where h is BERT's last hidden
 * state of the pair {@code [CLS] q [SEP] d [SEP]} and pool takes its [CLS] state or the mean of its tokens'
 * states ({@link Pooling}); or with a pooler {@code score = w · act(W h_[CLS] + c) + b}, act tanh as in
 * transformers' {@code BertForSequenceClassification} or another {@link PoolerActivation} ([CLS] pooling only). With a segment-cosine head
 * ({@link RankerConfig#segmentCosine}) the score adds {@code cos(mean_q h, mean_d h) / τ}, the means over the
 * query segment's (token type 0) and the document segment's (type 1) states, and the head starts at zero.
 * Inputs: ids, mask, token types {@code [B, L]}; output: scores {@code [B]}.
 */
final class CrossEncoderBlock extends AbstractBlock {
  private final BertEncoder encoder;
  private final Linear pooler;
  private final PoolerActivation poolerActivation;
  private final Linear head;
  private final Pooling pooling;
  /** 1/τ of the segment-cosine term, or 0 for none. */
  private final float segmentCosineScale;
  /** The additive bias on attention scores between the two segments (0: plain self-attention). */
  private float crossSegmentBias;

  CrossEncoderBlock(RankerConfig ranker) {
    BertConfig config = ranker.encoder();
    boolean withPooler = ranker.pooler();
    if (withPooler && ranker.pooling() != Pooling.CLS) {
      throw new IllegalArgumentException("a CA with a pooler pools [CLS], found " + ranker.pooling() + " pooling");
    }
    this.pooling = ranker.pooling();
    poolerActivation = ranker.poolerActivation();
    segmentCosineScale = ranker.segmentCosine() ? 1f / ranker.temperature() : 0f;
    encoder = addChildBlock("encoder", new BertEncoder(config));
    pooler = withPooler ? addChildBlock("pooler", BertBlocks.linear(config.hiddenSize())) : null;
    head = addChildBlock("head", Linear.builder().setUnits(1).build());
    if (withPooler) {
      pooler.setInitializer(new TruncatedNormalInitializer(BertEncoder.INITIALIZER_STD), Parameter.Type.WEIGHT);
    }
    head.setInitializer(ranker.segmentCosine() ? new ai.djl.training.initializer.ConstantInitializer(0f)
        : new TruncatedNormalInitializer(BertEncoder.INITIALIZER_STD), Parameter.Type.WEIGHT);
  }

  BertEncoder encoder() {
    return encoder;
  }

  /**
   * Adds {@code bias} (≤ 0) to the attention scores between a query-segment token (type 0) and a
   * document-segment token (type 1), both ways; 0 restores plain self-attention.
   */
  void setCrossSegmentBias(float bias) {
    if (!(bias <= 0)) {
      throw new IllegalArgumentException("a cross-segment bias damps attention: need <= 0, got " + bias);
    }
    crossSegmentBias = bias;
  }

  /** The linear head on the (pooled) [CLS] state, {@code [1, H]}. */
  Linear head() {
    return head;
  }

  /**
   * The parameters under transformers' {@code BertForSequenceClassification} names: {@code bert.} + the
   * encoder's {@link BertEncoder#huggingFaceParameters}, {@code bert.pooler.dense.*} (with a pooler),
   * {@code classifier.*} (the head).
   */
  Map<String, Parameter> huggingFaceParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    encoder.huggingFaceParameters().forEach((name, parameter) -> out.put(BERT_PREFIX + name, parameter));
    if (pooler != null) {
      BertBlocks.putLinear(BERT_PREFIX + "pooler.dense", pooler, out);
    }
    BertBlocks.putLinear("classifier", head, out);
    return out;
  }

  /** The prefix of the BERT body's names in transformers' task models. */
  static final String BERT_PREFIX = "bert.";

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray hidden = encoder.forward(ps, crossSegmentBias == 0f ? inputs : withCrossSegmentBias(inputs), training)
        .head();
    NDArray cls = BertBlocks.pool(hidden, inputs.get(1), pooling);
    if (pooler != null) {
      cls = poolerActivation.apply(pooler.forward(ps, new NDList(cls), training).head());
    }
    NDArray score = head.forward(ps, new NDList(cls), training).head().reshape(-1);
    if (segmentCosineScale == 0f) {
      return new NDList(score);
    }
    NDArray mask = inputs.get(1).toType(DataType.FLOAT32, false);
    NDArray documentMask = mask.mul(inputs.get(2).toType(DataType.FLOAT32, false));
    NDArray query = BertBlocks.unit(BertBlocks.pool(hidden, mask.sub(documentMask), Pooling.MEAN));
    NDArray document = BertBlocks.unit(BertBlocks.pool(hidden, documentMask, Pooling.MEAN));
    return new NDList(score.add(query.mul(document).sum(new int[] {1}).mul(segmentCosineScale)));
  }

  /** The inputs plus the bias {@code [B, 1, L, L]}: crossSegmentBias where the two tokens' types differ. */
  private NDList withCrossSegmentBias(NDList inputs) {
    NDArray types = inputs.get(2).toType(DataType.FLOAT32, false);
    long batch = types.getShape().get(0);
    long length = types.getShape().get(1);
    NDArray rows = types.reshape(batch, 1, length, 1);
    NDArray columns = types.reshape(batch, 1, 1, length);
    NDArray differ = rows.add(columns).sub(rows.mul(columns).mul(2f));
    return new NDList(inputs.get(0), inputs.get(1), inputs.get(2), differ.mul(crossSegmentBias));
  }


  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    encoder.initialize(manager, dataType, inputShapes);
    Shape cls = new Shape(inputShapes[0].get(0), encoder.config().hiddenSize());
    if (pooler != null) {
      pooler.initialize(manager, dataType, cls);
    }
    head.initialize(manager, dataType, cls);
  }
}
