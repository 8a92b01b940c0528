package io.dualrank.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each loss against values worked out by hand on one- or two-query batches. */
class HandComputedLossValuesTest {
  private static final double EPS = 1e-9;
  private static final double NAN = Double.NaN;
  private static LossTesting losses;

  @BeforeAll
  static void open() {
    losses = new LossTesting();
  }

  @AfterAll
  static void close() {
    losses.close();
  }

  @Test
  void onehotIsMinusLogSoftmaxOfThePositiveOverValidCandidates() {
    // row 0: s = (2, 1, 0): -log(e^2 / (e^2 + e^1 + e^0)) = log(1 + e^-1 + e^-2) = log(1.5032147) = 0.4076060
    // row 1: s = (0, 5, 0) with the 5 masked: -log(e^0 / (e^0 + e^0)) = log 2 = 0.6931472
    // mean over the 2 queries: 0.5503766
    double expected = (Math.log(1 + Math.exp(-1) + Math.exp(-2)) + Math.log(2)) / 2;
    assertEquals(0.5503766, expected, 1e-7);
    assertEquals(expected, losses.value(new SoftmaxCrossEntropyLoss(),
        new double[][] {{2, 1, 0}, {0, 5, 0}}, null, new boolean[][] {{true, true, true}, {true, false, true}}), EPS);
  }

  @Test
  void onehotDividesByItsTemperature() {
    // s/τ = (1, 0.5, 0)/0.5 = (2, 1, 0): log(1 + e^-1 + e^-2) = 0.4076060
    assertEquals(Math.log(1 + Math.exp(-1) + Math.exp(-2)),
        losses.value(new SoftmaxCrossEntropyLoss(0.5), new double[][] {{1, 0.5, 0}}, null, null), EPS);
  }

  @Test
  void softmaxDistillationIsKlFromTeacherToStudent() {
    // t = (ln 3, 0): p = (3/4, 1/4); s = (0, 0): q = (1/2, 1/2)
    // KL = 3/4 ln(3/2) + 1/4 ln(1/2) = 0.3040988 - 0.1732868 = 0.1308120
    double expected = 0.75 * Math.log(1.5) + 0.25 * Math.log(0.5);
    assertEquals(0.1308120, expected, 1e-7);
    RankingLoss kl = new SoftmaxDistillationLoss();
    assertEquals(expected, losses.value(kl, new double[][] {{0, 0}}, new double[][] {{Math.log(3), 0}}, null), EPS);
    // a masked third candidate, NaN in both score lists, changes nothing
    assertEquals(expected, losses.value(kl, new double[][] {{0, 0, NAN}}, new double[][] {{Math.log(3), 0, NAN}},
        new boolean[][] {{true, true, false}}), EPS);
  }

  @Test
  void softmaxDistillationAppliesBothTemperatures() {
    // τ_t = 2: t/τ_t = (2 ln 3, 0)/2 = (ln 3, 0), the same p as above
    assertEquals(0.75 * Math.log(1.5) + 0.25 * Math.log(0.5), losses.value(new SoftmaxDistillationLoss(2, 1),
        new double[][] {{0, 0}}, new double[][] {{2 * Math.log(3), 0}}, null), EPS);
    // τ_s = 0.5: s/τ_s = (ln 3, 0) gives q = p, so KL = 0
    assertEquals(0, losses.value(new SoftmaxDistillationLoss(1, 0.5),
        new double[][] {{0.5 * Math.log(3), 0}}, new double[][] {{Math.log(3), 0}}, null), EPS);
  }

  @Test
  void scoreMseAveragesSquaredErrorsOverValidCandidates() {
    // row 0: s - t = (0, 2, 3): (0 + 4 + 9)/3 = 13/3
    // row 1: s - t = (0, 2, masked): (0 + 4)/2 = 2
    // mean: (13/3 + 2)/2 = 19/6 = 3.1666667
    assertEquals(19.0 / 6, losses.value(new ScoreMseLoss(),
        new double[][] {{1, 2, 3}, {1, 2, 3}}, new double[][] {{1, 0, 0}, {1, 0, NAN}},
        new boolean[][] {{true, true, true}, {true, true, false}}), EPS);
  }

  @Test
  void marginMseAveragesSquaredMarginErrorsOverNegatives() {
    // row 0: teacher margins t0 - tj = (4-0, 4-3) = (4, 1); student s0 - sj = (3-1, 3-2) = (2, 1)
    //        ((4-2)^2 + (1-1)^2)/2 = 2
    // row 1: only negative 1 is valid: ((1-0) - (0-0))^2 = 1
    // mean: 1.5
    assertEquals(1.5, losses.value(new MarginMseLoss(),
        new double[][] {{3, 1, 2}, {0, 0, 5}}, new double[][] {{4, 0, 3}, {1, 0, 0}},
        new boolean[][] {{true, true, true}, {true, true, false}}), EPS);
  }

  @Test
  void m3seIsOneMarginErrorPlusAnUnnormalisedSumOfSquaredHinges() {
    // t = (5, 1, 4, 2): j* = column 2 (t = 4)
    // s = (3, 2.5, 1, 0): s_j* = 1
    //   margin term: ((5 - 4) - (3 - 1))^2 = (1 - 2)^2 = 1
    //   hinges: j=1: max(0, 2.5 - 1)^2 = 2.25; j=3: max(0, 0 - 1)^2 = 0
    //   total 1 + 2.25 = 3.25 (a mean over the 2 other negatives would give 2.125, over all 3: 1.75)
    assertEquals(3.25, m3se(new double[] {3, 2.5, 1, 0}, new double[] {5, 1, 4, 2}), EPS);
  }

  @Test
  void m3seTakesTheHardestValidNegative() {
    // column 2 (the teacher's best negative) masked: j* = column 3 (t = 2), s_j* = 0
    //   margin term: ((5 - 2) - (3 - 0))^2 = 0; hinge j=1: max(0, 2.5 - 0)^2 = 6.25
    assertEquals(6.25, losses.value(new MultiMarginMseLoss(), new double[][] {{3, 2.5, 1, 0}},
        new double[][] {{5, 1, 4, 2}}, new boolean[][] {{true, true, false, true}}), EPS);
  }

  @Test
  void m3seBreaksTeacherTiesTowardsTheLowestColumn() {
    // t = (5, 4, 4, 0): j* = column 1; s = (3, 1, 2, 0)
    //   margin term: ((5 - 4) - (3 - 1))^2 = 1; hinge j=2: max(0, 2 - 1)^2 = 1; total 2
    //   (with j* = column 2 it would be ((5-4) - (3-2))^2 + 0 = 0)
    assertEquals(2, m3se(new double[] {3, 1, 2, 0}, new double[] {5, 4, 4, 0}), EPS);
  }

  @Test
  void m3seIsZeroExactlyWhenTheMarginMatchesAndNoOtherNegativeExceedsTheHardest() {
    double[] teacher = {5, 1, 4, 2};
    // student margin to j* = 3 - 2 = 1 = teacher's 5 - 4; others 1, 0.5 < s_j* = 2
    assertEquals(0, m3se(new double[] {3, 1, 2, 0.5}, teacher), 0);
    // negative 1 climbs to 2.4 > s_j* = 2: (2.4 - 2)^2 = 0.16
    assertEquals(0.16, m3se(new double[] {3, 2.4, 2, 0.5}, teacher), EPS);
    // margin off by 0.3: 3.3 - 2 = 1.3 vs 1: 0.3^2 = 0.09
    assertEquals(0.09, m3se(new double[] {3.3, 1, 2, 0.5}, teacher), EPS);
  }

  @Test
  void m3seIgnoresTheOrderOfTheOtherNegatives() {
    double base = m3se(new double[] {3, 2.5, 1, 0}, new double[] {5, 1, 4, 2});
    // columns 1 and 3 swapped in both lists
    assertEquals(base, m3se(new double[] {3, 0, 1, 2.5}, new double[] {5, 2, 4, 1}), EPS);
    // a negative below s_j* moved further down
    assertEquals(base, m3se(new double[] {3, 2.5, 1, -7}, new double[] {5, 1, 4, 2}), EPS);
    // the teacher's scores of the other negatives, as long as j* stays the hardest
    assertEquals(base, m3se(new double[] {3, 2.5, 1, 0}, new double[] {5, 3.9, 4, -10}), EPS);
  }

  private static double m3se(double[] student, double[] teacher) {
    return losses.value(new MultiMarginMseLoss(), new double[][] {student}, new double[][] {teacher}, null);
  }
}
