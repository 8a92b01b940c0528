package io.dualrank.eval;

/** {@code recall_k}: relevant documents among the first k over all relevant documents judged; 0 when none. */
public record Recall(int k) implements Measure {
  public Recall {
    MeasureNames.checkCutoff(k);
  }

  @Override
  public String name() {
    return "recall_" + k;
  }

  @Override
  public double compute(JudgedRanking r) {
    return r.numRelevant() == 0 ? 0 : (double) r.relevantInTop(k) / r.numRelevant();
  }
}
