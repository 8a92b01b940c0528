package io.dualrank.eval;

/**
 * {@code recip_rank}: 1 / rank of the first relevant document, 0 when none is retrieved. With a cut-off
 * ({@code recip_rank_cut_10}, MS MARCO's MRR@10) only the first k ranks count.
 */
public record ReciprocalRank(int cutoff) implements Measure {
  public ReciprocalRank {
    MeasureNames.checkCutoff(cutoff);
  }

  @Override
  public String name() {
    return cutoff == NO_CUTOFF ? "recip_rank" : "recip_rank_cut_" + cutoff;
  }

  @Override
  public double compute(JudgedRanking r) {
    for (int i = 0; i < Math.min(cutoff, r.size()); i++) {
      if (r.isRelevant(i)) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }
}
