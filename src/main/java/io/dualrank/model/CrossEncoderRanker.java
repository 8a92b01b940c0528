package io.dualrank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dualrank.text.TokenBatch;
import io.dualrank.text.WordPieceTokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/** The cross-attention (CA) ranker: BERT over each (query, document) pair, a linear head on [CLS]. */
public final class CrossEncoderRanker extends RankerModel {
  private final CrossEncoderBlock block;

  CrossEncoderRanker(RankerConfig config, byte[] tokenizerJson, NDManager manager) {
    this(config, new CrossEncoderBlock(config), tokenizerJson, manager);
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
  public void setCrossSegmentBias(float bias) {
    block.setCrossSegmentBias(bias);
  }

  @Override
  List<BertEncoder> encoders() {
    return List.of(block.encoder());
  }

  @Override
  java.util.Map<String, ai.djl.nn.Parameter> huggingFaceParameters() {
    return block.huggingFaceParameters();
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

  CrossEncoderBlock crossEncoderBlock() {
    return block;
  }

  @Override
  public float[] scoreTexts(String query, List<String> documents) {
    ParameterStore ps = new ParameterStore(manager, false);
    return scorePairs(tokenizer, config.maxQueryLength(), config.maxLength(), query, documents, tokens -> {
      try (NDManager scratch = manager.newSubManager()) {
        return block.forward(ps, tokens.toNDList(scratch), false).head().toFloatArray();
      }
    });
  }

  /**
   * The scores of (query, document) pairs, in the documents' order, tokenised as pairs of at most {@code
   * maxLength} word pieces whose query keeps at most {@code maxQueryLength}, and scored by {@code scoreBatch} in
   * {@link LengthBatches}.
   */
  static float[] scorePairs(WordPieceTokenizer tokenizer, int maxQueryLength, int maxLength, String query,
      List<String> documents, Function<TokenBatch, float[]> scoreBatch) {
    int[] queryPieces = tokenizer.wordPieceIds(List.of(query)).get(0);
    List<int[]> documentPieces = tokenizer.wordPieceIds(documents);
    int[] rowLengths = documentPieces.stream().mapToInt(d -> WordPieceTokenizer.pairRowLength(queryPieces.length,
        d.length, maxQueryLength, maxLength)).toArray();
    float[] scores = new float[documents.size()];
    for (int[] batch : LengthBatches.of(rowLengths)) {
      float[] s = scoreBatch.apply(tokenizer.pairBatchOf(Collections.nCopies(batch.length, queryPieces),
          LengthBatches.select(documentPieces, batch), maxQueryLength, maxLength));
      for (int i = 0; i < batch.length; i++) {
        scores[batch[i]] = s[i];
      }
    }
    return scores;
  }
}
