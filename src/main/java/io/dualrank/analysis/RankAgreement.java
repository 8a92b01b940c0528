package io.dualrank.analysis;

import org.apache.commons.math3.stat.correlation.KendallsCorrelation;

/** How well one score list orders a query's candidates like another. */
public final class RankAgreement {
  private RankAgreement() {}

  /**
   * Kendall's τ-b between two score lists of the same candidates (commons-math3):
   * (C − D) / √((P − T_x)(P − T_y)), P = n(n−1)/2 pairs, C/D concordant/discordant pairs, T_x/T_y pairs tied
   * in x/y. Taken as 0 when either list is constant (τ-b is 0/0 there): a constant scorer carries no order.
   * Needs at least 2 candidates.
   */
  public static double kendallTauB(double[] x, double[] y) {
    if (x.length != y.length || x.length < 2) {
      throw new IllegalArgumentException("need two lists of equal length >= 2, got " + x.length + " and " + y.length);
    }
    double tau = new KendallsCorrelation().correlation(x, y);
    return Double.isNaN(tau) ? 0 : tau;
  }

  /**
   * 1/rank of the candidate at {@code relevant} when the candidates are sorted by decreasing score, or 0 when
   * that rank exceeds {@code cutoff} (MRR@cutoff with one relevant document). Ties count against it: the rank
   * is 1 + the number of other candidates scored at least as high, so a constant scorer is not rewarded.
   */
  public static double reciprocalRank(double[] scores, int relevant, int cutoff) {
    int rank = 1;
    for (int j = 0; j < scores.length; j++) {
      if (j != relevant && scores[j] >= scores[relevant]) {
        rank++;
      }
    }
    return rank <= cutoff ? 1.0 / rank : 0;
  }
}
