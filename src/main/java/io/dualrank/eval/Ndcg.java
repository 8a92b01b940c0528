package io.dualrank.eval;

/**
 * {@code ndcg_cut_k} as trec_eval computes it: DCG@k = sum over ranks i = 1..k of g_i / log2(i + 1), with
 * the gain g_i the document's grade (non-positive and unjudged count 0), divided by the DCG@k of the ideal
 * ranking of all the query's positive grades; 0 when the query has none. The relevance level plays no part:
 * the gains are the raw grades. Without a cut-off ({@code ndcg}) the whole ranking counts.
 */
public record Ndcg(int cutoff) implements Measure {
  public Ndcg {
    MeasureNames.checkCutoff(cutoff);
  }

  @Override
  public String name() {
    return cutoff == NO_CUTOFF ? "ndcg" : "ndcg_cut_" + cutoff;
  }

  @Override
  public double compute(JudgedRanking r) {
    int[] ideal = r.idealGrades();
    double idealDcg = 0;
    for (int i = 0; i < Math.min(cutoff, ideal.length); i++) {
      idealDcg += ideal[i] / log2(i + 2);
    }
    if (idealDcg == 0) {
      return 0;
    }
    double dcg = 0;
    for (int i = 0; i < Math.min(cutoff, r.size()); i++) {
      if (r.grade(i) > 0) {
        dcg += r.grade(i) / log2(i + 2);
      }
    }
    return dcg / idealDcg;
  }

  private static double log2(int x) {
    return Math.log(x) / Math.log(2);
  }
}
