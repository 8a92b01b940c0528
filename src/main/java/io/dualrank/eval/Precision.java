package io.dualrank.eval;

/**
 * {@code P_k}: relevant documents among the first k, divided by k, even when fewer than k were retrieved
 * (trec_eval fills the rest with non-relevant ones).
 */
public record Precision(int k) implements Measure {
  public Precision {
    MeasureNames.checkCutoff(k);
  }

  @Override
  public String name() {
    return "P_" + k;
  }

  @Override
  public double compute(JudgedRanking r) {
    return (double) r.relevantInTop(k) / k;
  }
}
