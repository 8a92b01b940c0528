package io.dualrank.util;

/**
 * Standard scores of one query's list: {@code z_i = (s_i − mean) / sd}, with the population sd; a list whose
 * scores are all equal gets z = 0. What score interpolation of two rankers puts on one scale.
 */
public final class StandardScores {
  private StandardScores() {}

  public static double[] of(double[] scores) {
    double mean = 0;
    for (double s : scores) {
      mean += s;
    }
    mean /= Math.max(scores.length, 1);
    double variance = 0;
    for (double s : scores) {
      variance += (s - mean) * (s - mean);
    }
    double sd = Math.sqrt(variance / Math.max(scores.length, 1));
    double[] z = new double[scores.length];
    for (int i = 0; i < z.length; i++) {
      z[i] = sd > 0 ? (scores[i] - mean) / sd : 0;
    }
    return z;
  }
}
