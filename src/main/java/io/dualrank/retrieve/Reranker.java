package io.dualrank.retrieve;

import io.dualrank.data.Document;
import io.dualrank.data.Query;
import io.dualrank.data.Run;
import io.dualrank.data.ScoredDoc;
import io.dualrank.model.Ranker;
import io.dualrank.util.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Re-ranks the top of a candidate list with a ranker (typically the cross-attention model, too slow to
 * score a whole corpus): the first {@code depth} candidates get the ranker's scores and are sorted by them
 * ({@link Run#TREC_ORDER}); the candidates below the depth keep their order and are placed under all
 * re-ranked ones, with scores {@code m − 1, m − 2, …} where {@code m} is the lowest re-ranked score. So
 * scores above the depth are ranker scores and scores below it are only ranks.
 *
 * <p>Thread-safe: calls to the ranker, which need not be, are serialised on the ranker instance.
 */
public final class Reranker {
  private final Ranker ranker;
  private final Function<String, Document> documents;

  /** @param documents the text of each candidate id (e.g. {@code VectorIndex::document}) */
  public Reranker(Ranker ranker, Function<String, Document> documents) {
    this.ranker = ranker;
    this.documents = documents;
  }

  /** The candidates (best first) with the top {@code depth} re-ranked, as described above. */
  public List<ScoredDoc> rerank(String query, List<ScoredDoc> candidates, int depth) {
    if (depth < 0) {
      throw new IllegalArgumentException("re-rank depth must be non-negative, got " + depth);
    }
    int n = Math.min(depth, candidates.size());
    if (n == 0) {
      return candidates;
    }
    List<Document> docs = candidates.subList(0, n).stream().map(d -> documents.apply(d.docId())).toList();
    float[] scores;
    synchronized (ranker) {
      scores = ranker.score(query, docs);
    }
    if (scores.length != n) {
      throw new IllegalStateException("ranker returned " + scores.length + " scores for " + n + " documents");
    }
    List<ScoredDoc> ranking = new ArrayList<>(candidates.size());
    double lowest = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      ranking.add(new ScoredDoc(candidates.get(i).docId(), scores[i]));
      lowest = Math.min(lowest, scores[i]);
    }
    ranking.sort(Run.TREC_ORDER);
    for (int i = n; i < candidates.size(); i++) {
      ranking.add(new ScoredDoc(candidates.get(i).docId(), lowest - (i - n + 1)));
    }
    return ranking;
  }

  /** Every query's candidates in {@code candidates} re-ranked to {@code depth}; queries without any are left out. */
  public Run rerank(List<Query> queries, Run candidates, int depth, String tag, Progress progress) {
    Run.Builder run = new Run.Builder(tag);
    int done = 0;
    for (Query q : queries) {
      rerank(q.text(), candidates.ranking(q.id()), depth).forEach(d -> run.add(q.id(), d));
      progress.advance(++done);
    }
    return run.build();
  }
}
