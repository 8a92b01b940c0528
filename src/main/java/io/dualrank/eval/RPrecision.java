package io.dualrank.eval;

/**
 * {@code Rprec} ({@code m_Rprec.c}): precision after R documents, R the number of relevant documents
 * judged: relevant among the first min(R, retrieved) over R; 0 when R is 0 or nothing was retrieved.
 */
public record RPrecision() implements Measure {
  @Override
  public String name() {
    return "Rprec";
  }

  @Override
  public double compute(JudgedRanking r) {
    int numRelevant = r.numRelevant();
    if (numRelevant == 0 || r.size() == 0) {
      return 0;
    }
    return (double) r.relevantInTop(numRelevant) / numRelevant;
  }
}
