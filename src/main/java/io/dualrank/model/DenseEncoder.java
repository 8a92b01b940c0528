package io.dualrank.model;

import io.dualrank.data.Document;
import java.util.List;

/**
 * Encodes queries and documents separately into vectors whose inner product is the relevance score:
 * {@code score(q, d) = ⟨encodeQueries(q), encodeDocuments(d)⟩}. Documents are encoded once and indexed; a
 * query costs one encoder pass plus a nearest-neighbour search.
 */
public interface DenseEncoder extends AutoCloseable {
  /** Length of every embedding. */
  int dimension();

  /**
   * Whether every embedding has unit L2 norm, so that inner product equals cosine similarity (any
   * temperature is folded into the query side, never into the document vectors).
   */
  boolean normalized();

  /** One embedding per query text, in order. */
  float[][] encodeQueries(List<String> queries);

  /** One embedding per document, in order. */
  float[][] encodeDocuments(List<Document> documents);

  @Override
  void close();
}
