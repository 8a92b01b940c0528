package io.dualrank.retrieve;

import io.dualrank.data.Query;
import io.dualrank.data.Run;
import io.dualrank.data.ScoredDoc;
import io.dualrank.index.VectorSearch;
import io.dualrank.model.DenseEncoder;
import io.dualrank.util.Progress;
import java.util.List;

/**
 * Dense retrieval: the dual encoder embeds a query and the vector index returns the documents with the
 * highest inner products.
 *
 * <p>Thread-safe. Models need not be, so calls to the encoder are serialised on the encoder instance (also
 * across retrievers sharing it): a CPU model already spreads one batch over every core, so copies of it
 * would cost memory for little throughput. Index searches run concurrently.
 */
public final class DenseRetriever {
  private final DenseEncoder encoder;
  private final VectorSearch index;

  public DenseRetriever(DenseEncoder encoder, VectorSearch index) {
    if (encoder.dimension() != index.dimension()) {
      throw new IllegalArgumentException(
          "the encoder's embeddings have dimension " + encoder.dimension() + ", the index's " + index.dimension());
    }
    this.encoder = encoder;
    this.index = index;
  }

  /** The top {@code k} documents of one query, best first, scored by inner product. */
  public List<ScoredDoc> search(String query, int k) {
    return index.search(encode(List.of(query))[0], k);
  }

  /** The top {@code k} documents of every query, encoding {@code batchSize} queries per encoder call. */
  public Run search(List<Query> queries, int k, int batchSize, String tag, Progress progress) {
    Run.Builder run = new Run.Builder(tag);
    for (int from = 0; from < queries.size(); from += batchSize) {
      List<Query> batch = queries.subList(from, Math.min(queries.size(), from + batchSize));
      float[][] vectors = encode(batch.stream().map(Query::text).toList());
      for (int i = 0; i < batch.size(); i++) {
        String qid = batch.get(i).id();
        index.search(vectors[i], k).forEach(d -> run.add(qid, d));
      }
      progress.advance(from + batch.size());
    }
    return run.build();
  }

  private float[][] encode(List<String> texts) {
    synchronized (encoder) {
      return encoder.encodeQueries(texts);
    }
  }
}
