package io.dualrank.model;

import io.dualrank.data.Document;
import java.util.List;

/**
 * Encodes queries and documents separately into vectors whose inner product ranks documents:
 * {@code score(q, d) = ⟨encodeQueries(q), encodeDocuments(d)⟩ / τ}, where a model with a temperature τ
 * applies it to its scores only (a positive scale never changes a ranking, so indexes use the raw inner
 * product). Documents are encoded once and indexed; a query costs one encoder pass plus a
 * nearest-neighbour search.
 */
public interface DenseEncoder extends AutoCloseable {
  /** Length of every embedding. */
  int dimension();

  /**
   * Whether every embedding has unit L2 norm, so that inner product equals cosine similarity.
   */
  boolean normalized();

  /** One embedding per query text, in order. */
  float[][] encodeQueries(List<String> queries);

  /** One embedding per document, in order. */
  float[][] encodeDocuments(List<Document> documents);

  @Override
  void close();
}
