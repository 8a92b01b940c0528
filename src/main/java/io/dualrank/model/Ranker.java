package io.dualrank.model;

import io.dualrank.data.Document;
import java.util.List;

/**
 * Scores documents for a query; higher is more relevant. The cross-attention (CA) ranker scores each
 * (query, document) pair jointly; the dual-encoder (DE) ranker scores inner products of separately
 * computed embeddings. Implementations batch internally and are safe to call from one thread at a time.
 */
public interface Ranker extends AutoCloseable {
  /** The score of each document for the query, in the documents' order. */
  float[] score(String query, List<Document> documents);

  @Override
  void close();
}
