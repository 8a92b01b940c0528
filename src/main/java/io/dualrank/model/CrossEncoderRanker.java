package io.dualrank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The cross-attention (CA) ranker: BERT over each (query, document) pair, a linear head on [CLS]. */
public final class CrossEncoderRanker extends RankerModel {
  /** Pairs per forward pass at inference. */
  static final int INFERENCE_BATCH = 64;
  private final CrossEncoderBlock block;

  CrossEncoderRanker(RankerConfig config, byte[] tokenizerJson, NDManager manager) {
    this(config, new CrossEncoderBlock(config.encoder()), tokenizerJson, manager);
  }

  private CrossEncoderRanker(RankerConfig config, CrossEncoderBlock block, byte[] tokenizerJson,
      NDManager manager) {
    super(config, block, tokenizerJson, manager);
    this.block = block;
  }

  @Override
  Shape[] initializationShapes(Shape tokens) {
    return new Shape[] {tokens, tokens, tokens};
  }

  @Override
  List<BertEncoder> encoders() {
    return List.of(block.encoder());
  }

  /** Scores {@code [P]} of P (query, document) pairs. */
  private NDArray pairScores(ParameterStore ps, NDManager scratch, List<String> queries, List<String> documents,
      boolean training) {
    var tokens = tokenizer.encodePairs(queries, documents, config.maxQueryLength(), config.maxLength());
    return block.forward(ps, tokens.toNDList(scratch), training).head();
  }

  @Override
  public NDArray listScores(ParameterStore ps, NDManager scratch, List<String> queries,
      List<List<String>> documents, boolean training) {
    List<String> q = new ArrayList<>();
    List<String> d = new ArrayList<>();
    int n = documents.get(0).size();
    for (int b = 0; b < queries.size(); b++) {
      q.addAll(Collections.nCopies(n, queries.get(b)));
      d.addAll(documents.get(b));
    }
    return pairScores(ps, scratch, q, d, training).reshape(queries.size(), n);
  }

  @Override
  public float[] scoreTexts(String query, List<String> documents) {
    float[] scores = new float[documents.size()];
    int[] order = byLength(documents);
    ParameterStore ps = new ParameterStore(manager, false);
    for (int start = 0; start < order.length; start += INFERENCE_BATCH) {
      int end = Math.min(order.length, start + INFERENCE_BATCH);
      List<String> batch = new ArrayList<>();
      for (int i = start; i < end; i++) {
        batch.add(documents.get(order[i]));
      }
      try (NDManager scratch = manager.newSubManager()) {
        float[] s = pairScores(ps, scratch, Collections.nCopies(batch.size(), query), batch, false).toFloatArray();
        for (int i = start; i < end; i++) {
          scores[order[i]] = s[i - start];
        }
      }
    }
    return scores;
  }
}
