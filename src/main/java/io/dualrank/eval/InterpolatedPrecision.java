package io.dualrank.eval;

import java.util.Locale;

/**
 * {@code iprec_at_recall_x} ({@code m_iprec_at_recall.c}): the interpolated precision at recall x, i.e.
 * the highest precision at or below the rank where c = (long) (x * R + 0.9) relevant documents have been
 * retrieved (R relevant judged), the rank-0 precision being relevant retrieved over retrieved; 0 when fewer
 * than c relevant documents are retrieved or nothing is. trec_eval's defaults are x = 0.0, 0.1, ..., 1.0.
 */
public record InterpolatedPrecision(double recall) implements Measure {
  public InterpolatedPrecision {
    if (!(recall >= 0 && recall <= 1)) {
      throw new IllegalArgumentException("a recall level must be in [0, 1], got " + recall);
    }
  }

  /** As trec_eval names it: the level with 2 decimals ({@code %3.2f}). */
  @Override
  public String name() {
    return String.format(Locale.ROOT, "iprec_at_recall_%3.2f", recall);
  }

  @Override
  public double compute(JudgedRanking r) {
    int retrieved = r.size();
    if (retrieved == 0) {
      return 0;
    }
    int relevantRetrieved = r.relevantInTop(retrieved);
    long needed = (long) (recall * r.numRelevant() + 0.9);
    if (needed > relevantRetrieved) {
      return 0;
    }
    double best = (double) relevantRetrieved / retrieved;
    int relevantSoFar = relevantRetrieved;
    for (int i = retrieved; i > 0 && relevantSoFar > 0; i--) {
      best = Math.max(best, (double) relevantSoFar / i);
      if (r.isRelevant(i - 1)) {
        if (relevantSoFar == needed) {
          return best;
        }
        relevantSoFar--;
      }
    }
    return best;
  }
}
