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
public final class EncoderRanker implements Ranker {
  private final DenseEncoder encoder;

  public EncoderRanker(DenseEncoder encoder) {
    this.encoder = encoder;
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

  @Override
  public void close() {
    encoder.close();
  }
}
