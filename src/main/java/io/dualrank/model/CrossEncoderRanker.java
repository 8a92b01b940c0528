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

/** The cross-attention (CA) ranker: BERT over each (query, document) pair, a linear head on [CLS]. */
public final class CrossEncoderRanker extends RankerModel {
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
    int[] queryPieces = tokenizer.wordPieceIds(List.of(query)).get(0);
    List<int[]> documentPieces = tokenizer.wordPieceIds(documents);
    int[] rowLengths = documentPieces.stream().mapToInt(d -> WordPieceTokenizer.pairRowLength(queryPieces.length,
        d.length, config.maxQueryLength(), config.maxLength())).toArray();
    float[] scores = new float[documents.size()];
    ParameterStore ps = new ParameterStore(manager, false);
    for (int[] batch : LengthBatches.of(rowLengths)) {
      TokenBatch tokens = tokenizer.pairBatchOf(Collections.nCopies(batch.length, queryPieces),
          LengthBatches.select(documentPieces, batch), config.maxQueryLength(), config.maxLength());
      try (NDManager scratch = manager.newSubManager()) {
        float[] s = block.forward(ps, tokens.toNDList(scratch), false).head().toFloatArray();
        for (int i = 0; i < batch.length; i++) {
          scores[batch[i]] = s[i];
        }
      }
    }
    return scores;
  }
}
