package io.dualrank.eval;

/**
 * Two runs compared on one measure over their common queries: means, the paired t statistic with its
 * two-sided p-value, and the p-value of a sign-flip randomisation test (with its trials and seed).
 */
public record PairedComparison(Measure measure, int queries, double meanA, double meanB, double t,
    double tTestP, double randomizationP, int trials, long seed) {

  /** {@code meanB - meanA}. */
  public double difference() {
    return meanB - meanA;
  }
}
