package io.dualrank.eval;

/**
 * {@code map} (per query, average precision): the sum, over the relevant documents retrieved, of the
 * precision at their rank, divided by the number of relevant documents judged (retrieved or not); 0 when
 * none. With a cut-off ({@code map_cut_k}) only the first k ranks are summed, the divisor unchanged.
 */
public record AveragePrecision(int cutoff) implements Measure {
  public AveragePrecision {
    MeasureNames.checkCutoff(cutoff);
  }

  @Override
  public String name() {
    return cutoff == NO_CUTOFF ? "map" : "map_cut_" + cutoff;
  }

  @Override
  public double compute(JudgedRanking r) {
    if (r.numRelevant() == 0) {
      return 0;
    }
    double sum = 0;
    int relevantSoFar = 0;
    for (int i = 0; i < Math.min(cutoff, r.size()); i++) {
      if (r.isRelevant(i)) {
        relevantSoFar++;
        sum += (double) relevantSoFar / (i + 1);
      }
    }
    return sum / r.numRelevant();
  }
}
