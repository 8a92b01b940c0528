package io.dualrank.eval;

/**
 * {@code bpref} ({@code m_bpref.c}; Buckley and Voorhees, SIGIR 2004), which reads judged documents only:
 * with R relevant and N judged non-relevant documents (grade 0 or more but below the level), each
 * relevant document retrieved adds {@code 1 - min(n, R) / min(N, R)}, n the judged non-relevant documents
 * ranked above it (1 when n = 0); the sum is divided by R (0 when R = 0). Unjudged documents are skipped.
 */
public record Bpref() implements Measure {
  @Override
  public String name() {
    return "bpref";
  }

  @Override
  public double compute(JudgedRanking r) {
    int numRelevant = r.numRelevant();
    if (numRelevant == 0) {
      return 0;
    }
    double denominator = Math.min(r.numJudgedNonRelevant(), numRelevant);
    int nonRelevantAbove = 0;
    double sum = 0;
    for (int i = 0; i < r.size(); i++) {
      if (r.isRelevant(i)) {
        sum += nonRelevantAbove > 0 ? 1 - Math.min(nonRelevantAbove, numRelevant) / denominator : 1;
      } else if (r.isJudged(i)) {
        nonRelevantAbove++;
      }
    }
    return sum / numRelevant;
  }
}
