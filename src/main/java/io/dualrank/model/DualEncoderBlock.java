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
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;

/**
 * The dual-encoder ranker as a block. A tower embeds a text as
 * {@code e = normalize?( P · pool(BERT(text)) )}, with pooling [CLS] or mean, P an optional linear
 * projection to dimension k (shared by both towers) and optional L2 normalisation; the score of query q
 * and document d is {@code ⟨e_q, e_d⟩ / τ}, τ fixed or learned (as log τ).
 *
 * <p>Inputs: query ids, mask, types {@code [Bq, Lq]}, then document ids, mask, types {@code [Bd, Ld]};
 * output: the score matrix {@code [Bq, Bd]} of every query against every document.
 */
final class DualEncoderBlock extends AbstractBlock {
  private final RankerConfig config;
  private final BertEncoder queryEncoder;
  private final BertEncoder documentEncoder;
  private final Linear projection;
  private final Parameter logTemperature;

  DualEncoderBlock(RankerConfig config) {
    this.config = config;
    if (config.sharedTowers()) {
      queryEncoder = addChildBlock("encoder", new BertEncoder(config.encoder()));
      documentEncoder = queryEncoder;
    } else {
      queryEncoder = addChildBlock("query_encoder", new BertEncoder(config.encoder()));
      documentEncoder = addChildBlock("document_encoder", new BertEncoder(config.encoder()));
    }
    if (config.projection() > 0) {
      projection = addChildBlock("projection", Linear.builder().setUnits(config.projection()).build());
      projection.setInitializer(new TruncatedNormalInitializer(BertEncoder.INITIALIZER_STD), Parameter.Type.WEIGHT);
    } else {
      projection = null;
    }
    logTemperature = config.learnTemperature()
        ? addParameter(Parameter.builder().setName("log_temperature").setType(Parameter.Type.OTHER)
            .optShape(new Shape(1)).optInitializer(new ConstantInitializer((float) Math.log(config.temperature())))
            .build())
        : null;
  }

  /** The encoders to load pre-trained weights into: one when the towers are shared, else query then document. */
  java.util.List<BertEncoder> encoders() {
    return config.sharedTowers() ? java.util.List.of(queryEncoder) : java.util.List.of(queryEncoder, documentEncoder);
  }

  /** The encoder of queries ({@code query}) or of documents (the same one when the towers are shared). */
  BertEncoder encoder(boolean query) {
    return query ? queryEncoder : documentEncoder;
  }

  /** The projection after pooling, or null. */
  Linear projection() {
    return projection;
  }

  /** Embeddings {@code [B, k]} of a batch of tokenised queries ({@code query}) or documents. */
  NDArray embed(ParameterStore ps, NDList tokens, boolean query, boolean training) {
    NDArray hidden = encoder(query).forward(ps, tokens, training).head();
    NDArray pooled = BertBlocks.pool(hidden, tokens.get(1), config.pooling());
    NDArray e = projection == null ? pooled : projection.forward(ps, new NDList(pooled), training).head();
    if (!config.normalize()) {
      return e;
    }
    return BertBlocks.unit(e);
  }

  /** The scale 1/τ applied to inner products, as a scalar array (learned or fixed). */
  NDArray inverseTemperature(ParameterStore ps, NDManager manager, boolean training) {
    if (logTemperature == null) {
      return manager.create(1f / config.temperature());
    }
    return ps.getValue(logTemperature, manager.getDevice(), training).neg().exp();
  }

  /** τ now (the configured value when it is not learned). */
  float temperature() {
    return logTemperature == null ? config.temperature() : (float) Math.exp(logTemperature.getArray().getFloat());
  }

  /** Scores {@code [Bq, Bd]} = ⟨e_q, e_d⟩ / τ. */
  NDArray scores(ParameterStore ps, NDArray queries, NDArray documents, boolean training) {
    return queries.matMul(documents.transpose()).mul(inverseTemperature(ps, queries.getManager(), training));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray q = embed(ps, new NDList(inputs.get(0), inputs.get(1), inputs.get(2)), true, training);
    NDArray d = embed(ps, new NDList(inputs.get(3), inputs.get(4), inputs.get(5)), false, training);
    return new NDList(scores(ps, q, d, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[3].get(0))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    queryEncoder.initialize(manager, dataType, inputShapes[0], inputShapes[1], inputShapes[2]);
    if (documentEncoder != queryEncoder) {
      documentEncoder.initialize(manager, dataType, inputShapes[3], inputShapes[4], inputShapes[5]);
    }
    if (projection != null) {
      projection.initialize(manager, dataType, new Shape(inputShapes[0].get(0), config.encoder().hiddenSize()));
    }
  }
}
