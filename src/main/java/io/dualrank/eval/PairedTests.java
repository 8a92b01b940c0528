package io.dualrank.eval;

import java.util.List;
import java.util.Random;
import org.apache.commons.math3.stat.inference.TTest;

/** Paired significance tests over per-query values of two systems (same queries, same order). */
public final class PairedTests {
  private PairedTests() {}

  /** Compares two evaluations of {@code m} over the queries they share. */
  public static PairedComparison compare(EvalResult a, EvalResult b, Measure m, int trials, long seed) {
    List<String> common = a.queryIds().stream().filter(b.perQuery(m)::containsKey).toList();
    double[] x = common.stream().mapToDouble(a.perQuery(m)::get).toArray();
    double[] y = common.stream().mapToDouble(b.perQuery(m)::get).toArray();
    return new PairedComparison(m, common.size(), mean(x), mean(y), tStatistic(x, y), tTestP(x, y),
        randomizationP(x, y, trials, seed), trials, seed);
  }

  /**
   * The paired t statistic of {@code b - a}: mean(d) / (sd(d) / sqrt(n)), sd with n - 1. When all
   * differences are equal it is 0 if they are 0 and infinite otherwise.
   */
  public static double tStatistic(double[] a, double[] b) {
    double[] d = differences(a, b);
    if (constant(d)) {
      return d[0] == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, d[0]);
    }
    return -new TTest().pairedT(a, b); // commons-math tests a - b
  }

  /** Two-sided p-value of the paired t-test; 1 when the runs agree on every query, 0 when all differ alike. */
  public static double tTestP(double[] a, double[] b) {
    double[] d = differences(a, b);
    if (constant(d)) {
      return d[0] == 0 ? 1 : 0;
    }
    return new TTest().pairedTTest(a, b);
  }

  /**
   * Two-sided sign-flip randomisation test: under the null hypothesis each difference is as likely to have
   * either sign, so the p-value is the share of random sign assignments whose |mean| reaches the observed
   * one, estimated as (1 + hits) / (1 + trials) over {@code trials} draws from {@code new Random(seed)}.
   * Ties within 1e-9 of the observed |sum| (relative to sum |d|) count as hits.
   */
  public static double randomizationP(double[] a, double[] b, int trials, long seed) {
    if (trials < 1) {
      throw new IllegalArgumentException("trials must be positive, got " + trials);
    }
    double[] d = differences(a, b);
    double scale = 0;
    double observed = 0;
    for (double v : d) {
      scale += Math.abs(v);
      observed += v;
    }
    double threshold = Math.abs(observed) - 1e-9 * scale;
    Random random = new Random(seed);
    int hits = 0;
    for (int t = 0; t < trials; t++) {
      double sum = 0;
      for (double v : d) {
        sum += random.nextBoolean() ? v : -v;
      }
      if (Math.abs(sum) >= threshold) {
        hits++;
      }
    }
    return (1.0 + hits) / (1.0 + trials);
  }

  private static double[] differences(double[] a, double[] b) {
    if (a.length != b.length || a.length < 2) {
      throw new IllegalArgumentException("paired tests need two samples of the same size, at least 2; got "
          + a.length + " and " + b.length);
    }
    double[] d = new double[a.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = b[i] - a[i];
    }
    return d;
  }

  private static boolean constant(double[] d) {
    for (double v : d) {
      if (v != d[0]) {
        return false;
      }
    }
    return true;
  }

  private static double mean(double[] x) {
    double sum = 0;
    for (double v : x) {
      sum += v;
    }
    return sum / x.length;
  }
}
