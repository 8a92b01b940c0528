package io.dualrank.analysis;

import io.dualrank.data.Qrels;
import io.dualrank.data.Run;
import io.dualrank.data.ScoredDoc;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The score margin of a ranking per query: the best relevant candidate's score minus the best non-relevant
 * candidate's, {@code max_{d ∈ R} s(d) − max_{d ∉ R} s(d)}. Positive exactly when a relevant document is
 * ranked first; its distribution on train vs test shows how far a model over-fits (the paper's claim 2).
 * Queries whose candidates are all relevant or all non-relevant have no margin and are left out.
 */
public final class ScoreMargins {
  private ScoreMargins() {}

  /** The margin of each query of the run that has both relevant and non-relevant candidates. */
  public static Map<String, Double> of(Run run, Qrels qrels, int relevanceLevel) {
    Map<String, Double> margins = new LinkedHashMap<>();
    for (String qid : run.queryIds()) {
      Set<String> relevant = qrels.relevant(qid, relevanceLevel);
      double bestRelevant = Double.NEGATIVE_INFINITY;
      double bestOther = Double.NEGATIVE_INFINITY;
      for (ScoredDoc d : run.ranking(qid)) {
        if (relevant.contains(d.docId())) {
          bestRelevant = Math.max(bestRelevant, d.score());
        } else {
          bestOther = Math.max(bestOther, d.score());
        }
      }
      if (bestRelevant > Double.NEGATIVE_INFINITY && bestOther > Double.NEGATIVE_INFINITY) {
        margins.put(qid, bestRelevant - bestOther);
      }
    }
    return margins;
  }

  /** Summary of margins: count, fraction positive, median. */
  public record Summary(int queries, double fractionPositive, double median) {
    public static Summary of(Map<String, Double> margins) {
      double[] m = margins.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
      if (m.length == 0) {
        return new Summary(0, Double.NaN, Double.NaN);
      }
      double median = m.length % 2 == 1 ? m[m.length / 2] : (m[m.length / 2 - 1] + m[m.length / 2]) / 2;
      return new Summary(m.length, Arrays.stream(m).filter(x -> x > 0).count() / (double) m.length, median);
    }
  }
}
