package io.dualrank.index;

import io.dualrank.data.ScoredDoc;
import java.util.List;

/**
 * Top-k inner-product search over a fixed set of document embeddings. Scores are the raw inner products
 * {@code ⟨query, document⟩}, whatever the implementation, so results of different implementations compare
 * directly. Implementations are thread-safe.
 */
public interface VectorSearch extends AutoCloseable {
  /**
   * The (at most) {@code k} documents with the highest inner product with {@code query}, best first; equal
   * scores in index order.
   *
   * @throws IllegalArgumentException when the query's length is not {@link #dimension()} or k &lt; 1
   */
  List<ScoredDoc> search(float[] query, int k);

  /** Length of the embeddings. */
  int dimension();

  /** Number of documents searched. */
  int size();

  @Override
  void close();
}
