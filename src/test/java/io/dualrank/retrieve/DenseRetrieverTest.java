package io.dualrank.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dualrank.data.Document;
import io.dualrank.data.Query;
import io.dualrank.data.Run;
import io.dualrank.data.ScoredDoc;
import io.dualrank.index.ExactSearch;
import io.dualrank.model.DenseEncoder;
import io.dualrank.model.HashingEncoder;
import io.dualrank.util.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DenseRetrieverTest {
  private static final List<Document> DOCS = List.of(
      new Document("d1", "Cats", "cats sit on mats"),
      new Document("d2", "Dogs", "dogs chase cats"),
      new Document("d3", "Birds", "birds sing songs"),
      new Document("d4", "", "mats and rugs"));
  private static final HashingEncoder HASHING = new HashingEncoder(1024);

  private static ExactSearch index() {
    return new ExactSearch(DOCS.stream().map(Document::id).toList(), HASHING.encodeDocuments(DOCS), 1024, 1);
  }

  @Test
  void runHoldsEachQuerysTopKScoredByInnerProduct() {
    List<Query> queries = List.of(new Query("q1", "cats"), new Query("q2", "songs of birds"),
        new Query("q3", "mats"), new Query("q4", "dogs"), new Query("q5", "rugs"));
    try (ExactSearch index = index()) {
      DenseRetriever retriever = new DenseRetriever(HASHING, index);
      Run run = retriever.search(queries, 2, 2, "de", Progress.silent());
      assertEquals(queries.stream().map(Query::id).toList(), List.copyOf(run.queryIds()));
      for (Query q : queries) {
        assertEquals(retriever.search(q.text(), 2), run.ranking(q.id()));
      }
      assertEquals("d3", run.ranking("q2").get(0).docId());
      // d1 "Cats cats sit on mats": tf (2, 1, 1, 1), cosine with "cats" 2/√7; d2 "Dogs dogs chase cats": 1/√6.
      List<ScoredDoc> cats = run.ranking("q1");
      assertEquals(List.of("d1", "d2"), cats.stream().map(ScoredDoc::docId).toList());
      assertEquals(2 / Math.sqrt(7), cats.get(0).score(), 1e-6);
      assertEquals(1 / Math.sqrt(6), cats.get(1).score(), 1e-6);
    }
  }

  @Test
  void encoderCallsAreSerialisedAcrossThreads() throws Exception {
    AtomicBoolean inside = new AtomicBoolean();
    DenseEncoder notThreadSafe = new DenseEncoder() {
      @Override
      public int dimension() {
        return HASHING.dimension();
      }

      @Override
      public boolean normalized() {
        return true;
      }

      @Override
      public float[][] encodeQueries(List<String> queries) {
        if (!inside.compareAndSet(false, true)) {
          throw new IllegalStateException("concurrent call");
        }
        try {
          Thread.sleep(1);
          return HASHING.encodeQueries(queries);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        } finally {
          inside.set(false);
        }
      }

      @Override
      public float[][] encodeDocuments(List<Document> documents) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void close() {}
    };
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (ExactSearch index = index()) {
      DenseRetriever retriever = new DenseRetriever(notThreadSafe, index);
      List<Future<List<ScoredDoc>>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        results.add(pool.submit(() -> retriever.search("cats and dogs", 3)));
      }
      for (Future<List<ScoredDoc>> r : results) {
        assertEquals(3, r.get().size());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rejectsAnEncoderOfAnotherDimension() {
    try (ExactSearch index = index()) {
      assertThrows(IllegalArgumentException.class, () -> new DenseRetriever(new HashingEncoder(64), index));
    }
  }
}
