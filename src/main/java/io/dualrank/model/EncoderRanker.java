package io.dualrank.model;

import io.dualrank.data.Document;
import java.util.List;
import org.apache.lucene.util.VectorUtil;

/**
 * A dense encoder used as a {@link Ranker}: a document's score is the inner product of the query's and the
 * document's embeddings, both computed on the fly. Lets a DE re-rank candidates (e.g. another DE's or
 * BM25's), and exercises re-ranking paths without a cross-attention model. Owns the encoder: closing this
 * closes it.
 */
public final class EncoderRanker implements ScoringModel {
  private final DenseEncoder encoder;

  public EncoderRanker(DenseEncoder encoder) {
    this.encoder = encoder;
  }

  /** The encoder this ranker owns. */
  public DenseEncoder encoder() {
    return encoder;
  }

  @Override
  public Architecture architecture() {
    return Architecture.DUAL_ENCODER;
  }

  @Override
  public float[] score(String query, List<Document> documents) {
    float[] q = encoder.encodeQueries(List.of(query))[0];
    float[][] docs = encoder.encodeDocuments(documents);
    float[] scores = new float[docs.length];
    for (int i = 0; i < docs.length; i++) {
      scores[i] = VectorUtil.dotProduct(q, docs[i]);
    }
    return scores;
  }

  /** The scores of documents given as texts (as documents without title). */
  @Override
  public float[] scoreTexts(String query, List<String> documents) {
    return score(query, documents.stream().map(text -> new Document("", "", text)).toList());
  }

  @Override
  public void close() {
    encoder.close();
  }
}
