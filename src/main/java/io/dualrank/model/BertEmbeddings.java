package io.dualrank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;

/**
 * BERT input embeddings. Inputs token ids and token type ids {@code [B, L]} (int64); output {@code [B, L,
 * H]}: {@code dropout(LayerNorm(E_word[id] + E_type[type] + E_pos[position]))}, positions {@code 0..L-1}.
 */
final class BertEmbeddings extends AbstractBlock {
  private final BertConfig config;
  private final Parameter wordEmbeddings;
  private final Parameter positionEmbeddings;
  private final Parameter tokenTypeEmbeddings;
  private final LayerNorm norm;

  BertEmbeddings(BertConfig config) {
    this.config = config;
    wordEmbeddings = addParameter(table("wordEmbeddings", config.vocabSize(), config.hiddenSize()));
    positionEmbeddings = addParameter(table("positionEmbeddings", config.maxPositions(), config.hiddenSize()));
    tokenTypeEmbeddings = addParameter(table("tokenTypeEmbeddings", config.typeVocabSize(), config.hiddenSize()));
    norm = addChildBlock("norm", BertBlocks.layerNorm(config));
  }

  private static Parameter table(String name, int rows, int width) {
    return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(new Shape(rows, width)).build();
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray ids = inputs.get(0);
    NDArray types = inputs.get(1);
    long length = ids.getShape().get(1);
    if (length > config.maxPositions()) {
      throw new IllegalArgumentException("sequence length " + length + " > max positions " + config.maxPositions());
    }
    NDArray positions = ids.getManager().arange(0, (int) length, 1, DataType.INT64);
    NDArray sum = lookup(ps, wordEmbeddings, ids, training)
        .add(lookup(ps, tokenTypeEmbeddings, types, training))
        .add(lookup(ps, positionEmbeddings, positions, training));
    NDArray normalized = norm.forward(ps, new NDList(sum), training).head();
    return Dropout.dropout(normalized, config.dropout(), training);
  }

  private static NDArray lookup(ParameterStore ps, Parameter table, NDArray indices, boolean training) {
    NDArray weights = ps.getValue(table, indices.getDevice(), training);
    return Embedding.embedding(indices, weights, SparseFormat.DENSE).head();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].add(config.hiddenSize())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    norm.initialize(manager, dataType, getOutputShapes(inputShapes));
  }

  /** HuggingFace names under {@code embeddings}. */
  void putHuggingFaceParameters(Map<String, Parameter> out) {
    out.put("embeddings.word_embeddings.weight", wordEmbeddings);
    out.put("embeddings.position_embeddings.weight", positionEmbeddings);
    out.put("embeddings.token_type_embeddings.weight", tokenTypeEmbeddings);
    BertBlocks.putLayerNorm("embeddings.LayerNorm", norm, out);
  }
}
