package io.dualrank.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.dualrank.data.Document;
import io.dualrank.data.Query;
import io.dualrank.data.Run;
import io.dualrank.data.ScoredDoc;
import io.dualrank.model.Ranker;
import io.dualrank.util.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RerankerTest {
  /** Candidates a..f from a DE, best first. */
  private static final List<ScoredDoc> CANDIDATES = List.of(new ScoredDoc("a", 0.9), new ScoredDoc("b", 0.8),
      new ScoredDoc("c", 0.7), new ScoredDoc("d", 0.6), new ScoredDoc("e", 0.5), new ScoredDoc("f", 0.4));

  /** A CA stand-in: the score of a document is a fixed number written in its text. */
  private static final class TextScoreRanker implements Ranker {
    final List<List<String>> calls = new ArrayList<>();

    @Override
    public float[] score(String query, List<Document> documents) {
      calls.add(documents.stream().map(Document::id).toList());
      float[] scores = new float[documents.size()];
      for (int i = 0; i < scores.length; i++) {
        scores[i] = Float.parseFloat(documents.get(i).text());
      }
      return scores;
    }

    @Override
    public void close() {}
  }

  private static final Map<String, Document> DOCS = Map.of(
      "a", new Document("a", "", "1"), "b", new Document("b", "", "5"), "c", new Document("c", "", "3"),
      "d", new Document("d", "", "9"), "e", new Document("e", "", "3"), "f", new Document("f", "", "7"));

  @Test
  void topDepthIsReorderedByTheRankerAndTheRestFollowsInItsOrderBelow() {
    TextScoreRanker ca = new TextScoreRanker();
    List<ScoredDoc> ranking = new Reranker(ca, DOCS::get).rerank("q", CANDIDATES, 3);
    assertEquals(List.of(List.of("a", "b", "c")), ca.calls, "only the top 3 are scored");
    // CA scores b 5, c 3, a 1 on top; d, e, f keep the DE order with scores below the lowest CA score (1),
    // although the CA would have scored d and f higher.
    assertEquals(List.of(new ScoredDoc("b", 5), new ScoredDoc("c", 3), new ScoredDoc("a", 1),
        new ScoredDoc("d", 0), new ScoredDoc("e", -1), new ScoredDoc("f", -2)), ranking);
  }

  @Test
  void depthBeyondTheCandidatesReranksAllAndTiesFollowTrecOrder() {
    List<ScoredDoc> ranking = new Reranker(new TextScoreRanker(), DOCS::get).rerank("q", CANDIDATES, 100);
    assertEquals(List.of("d", "f", "b", "e", "c", "a"), ranking.stream().map(ScoredDoc::docId).toList());
  }

  @Test
  void depthZeroKeepsTheCandidates() {
    TextScoreRanker ca = new TextScoreRanker();
    assertSame(CANDIDATES, new Reranker(ca, DOCS::get).rerank("q", CANDIDATES, 0));
    assertEquals(List.of(), ca.calls);
  }

  @Test
  void runRerankingKeepsEachQuerysOrderInTheRun() {
    Run.Builder candidates = new Run.Builder("de");
    CANDIDATES.forEach(d -> candidates.add("q1", d));
    CANDIDATES.subList(3, 6).forEach(d -> candidates.add("q2", d));
    Run run = new Reranker(new TextScoreRanker(), DOCS::get).rerank(
        List.of(new Query("q1", "one"), new Query("q2", "two"), new Query("q3", "none")),
        candidates.build(), 2, "ca", Progress.silent());
    assertEquals("ca", run.tag());
    assertEquals(List.of("b", "a", "c", "d", "e", "f"), run.ranking("q1").stream().map(ScoredDoc::docId).toList());
    assertEquals(List.of("d", "e", "f"), run.ranking("q2").stream().map(ScoredDoc::docId).toList());
    assertEquals(List.of(), run.ranking("q3"));
  }
}
