package io.dualrank.eval;

import io.dualrank.data.Qrels;
import io.dualrank.data.Run;
import io.dualrank.data.ScoredDoc;
import io.dualrank.data.Utf8Order;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates runs against qrels exactly as NIST trec_eval 10.0 does:
 * <ul>
 *   <li>each query's ranking is ordered by score descending, ties by document id descending (the
 *       {@link Run} order); ranks in the file play no part;
 *   <li>the evaluated queries are those with judgments in the qrels (any grade, even all 0) and a ranking
 *       in the run, in UTF-8 byte order of their ids; a run's queries without judgments are ignored; judged
 *       queries the run lacks are ignored too, unless {@code allJudgedQueries} (trec_eval {@code -c}), where
 *       they are evaluated with an empty ranking: 0 on every measure but {@code num_q} (1) and
 *       {@code num_rel} (their relevant documents), as trec_eval 10.0's placeholder ranking gives;
 *   <li>a judged query without relevant documents is evaluated and scores 0 on every measure;
 *   <li>a judged document is relevant when its grade is at least {@code relevanceLevel} (trec_eval
 *       {@code -l}, 0 or more; see {@link JudgedRanking}); nDCG ignores the level and uses the raw grades;
 *   <li>the {@code all} figures are those of {@link EvalResult#summary}.
 * </ul>
 */
public final class Evaluator {
  private final Qrels qrels;
  private final int relevanceLevel;
  private final boolean allJudgedQueries;

  public Evaluator(Qrels qrels, int relevanceLevel) {
    this(qrels, relevanceLevel, false);
  }

  /**
   * {@code relevanceLevel} must be at least 0 (trec_eval takes a negative one, but then counts documents
   * absent from the qrels as relevant retrieved ones).
   */
  public Evaluator(Qrels qrels, int relevanceLevel, boolean allJudgedQueries) {
    if (relevanceLevel < 0) {
      throw new IllegalArgumentException("relevance level must be at least 0, got " + relevanceLevel);
    }
    this.qrels = qrels;
    this.relevanceLevel = relevanceLevel;
    this.allJudgedQueries = allJudgedQueries;
  }

  public EvalResult evaluate(Run run, Measure... measures) {
    return evaluate(run, List.of(measures));
  }

  /** Throws IllegalArgumentException when no query is evaluated, or no measure asked for. */
  public EvalResult evaluate(Run run, List<Measure> measures) {
    if (measures.isEmpty()) {
      throw new IllegalArgumentException("no measure to evaluate");
    }
    List<String> queries = qrels.queryIds().stream()
        .filter(q -> allJudgedQueries || run.queryIds().contains(q))
        .sorted(Utf8Order.ASCENDING)
        .toList();
    if (queries.isEmpty()) {
      throw new IllegalArgumentException("no query has both judgments and a ranking in run '" + run.tag() + "'");
    }
    Map<Measure, Map<String, Double>> values = new LinkedHashMap<>();
    measures.forEach(m -> values.put(m, new LinkedHashMap<>()));
    for (String q : queries) {
      List<ScoredDoc> ranking = run.ranking(q);
      JudgedRanking judged = JudgedRanking.of(ranking, qrels.judgments(q), relevanceLevel);
      for (Measure m : measures) {
        values.get(m).put(q, m.compute(judged));
      }
    }
    return new EvalResult(run.tag(), new ArrayList<>(values.keySet()), queries, values);
  }

  public int relevanceLevel() {
    return relevanceLevel;
  }
}
