package io.dualrank.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.analysis.EmbeddingCapacityFit.Config;
import io.dualrank.analysis.EmbeddingCapacityFit.Result;
import io.dualrank.loss.MarginMseLoss;
import io.dualrank.loss.MultiMarginMseLoss;
import io.dualrank.loss.ScoreMseLoss;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a synthetic teacher S = A·Bᵀ of rank 3 (24 queries, 40 documents, each query scoring a random ~40% of
 * them), free embeddings of dimension k ≥ 3 reproduce S and k = 1 cannot.
 */
class EmbeddingCapacityFitTest {
  private static final int RANK = 3;
  private static CandidateScoreMatrix teacher;

  @BeforeAll
  static void lowRankTeacher() {
    Random random = new Random(1);
    int n = 24;
    int m = 40;
    double[][] a = gaussian(random, n, RANK);
    double[][] b = gaussian(random, m, RANK);
    float[][] scores = new float[n][m];
    boolean[][] candidates = new boolean[n][m];
    for (int q = 0; q < n; q++) {
      for (int d = 0; d < m; d++) {
        for (int i = 0; i < RANK; i++) {
          scores[q][d] += (float) (a[q][i] * b[d][i]);
        }
        candidates[q][d] = random.nextDouble() < 0.4;
      }
    }
    teacher = CandidateScoreMatrix.of(scores, candidates);
  }

  @Test
  void enoughDimensionsReproduceALowRankTeacherAndOneDoesNot() {
    Config config = Config.of(new ScoreMseLoss()).withSteps(400, 0.05);
    List<Result> results = EmbeddingCapacityFit.sweep(teacher, config, 1, RANK);
    Result one = results.get(0);
    Result enough = results.get(1);

    assertEquals(RANK, enough.dimension());
    assertTrue(enough.rawRmse() < 0.01 * enough.teacherSpread(), enough::toString);
    assertTrue(enough.calibratedRmse() < 0.01 * enough.teacherSpread(), enough::toString);
    assertEquals(1.0, enough.mrrAt10(), 0);
    assertTrue(enough.meanKendallTau() > 0.99, enough::toString);

    // one dimension orders every query's documents by v_d, up or down: the teacher's rank-3 orders are out of reach
    assertTrue(one.calibratedRmse() > 0.3 * one.teacherSpread(), one::toString);
    assertTrue(one.mrrAt10() < 0.8, one::toString);
    assertTrue(one.meanKendallTau() < 0.7, one::toString);
  }

  @Test
  void shiftInvariantLossesAreJudgedAfterCalibration() {
    // Margin-MSE cannot see a per-query offset, so raw scores drift while calibrated ones match
    Result result = EmbeddingCapacityFit.fit(teacher, Config.of(new MarginMseLoss()).withDimension(8).withSteps(400, 0.05));
    assertTrue(result.calibratedRmse() < 0.05 * result.teacherSpread(), result::toString);
    assertTrue(result.rawRmse() > 5 * result.calibratedRmse(), result::toString);
    assertTrue(result.meanKendallTau() > 0.95, result::toString);
  }

  @Test
  void m3seGetsTheTopRightButNotTheWholeOrder() {
    Result result = EmbeddingCapacityFit.fit(teacher, Config.of(new MultiMarginMseLoss()).withDimension(8));
    assertTrue(result.finalLoss() < 1e-6, result::toString);
    assertEquals(1.0, result.mrrAt10(), 0);
    // it only constrains the positive and the teacher's hardest negative, so most pairs are left to chance
    assertTrue(result.meanKendallTau() < 0.6, result::toString);
  }

  @Test
  void normalisedVectorsWithALearnedTemperature() {
    Config config = Config.of(new MarginMseLoss()).withNormalisation(0.1, true).withSteps(400, 0.05);
    Result eight = EmbeddingCapacityFit.fit(teacher, config.withDimension(8));
    Result one = EmbeddingCapacityFit.fit(teacher, config.withDimension(1));
    assertTrue(eight.meanKendallTau() > 0.9 && eight.mrrAt10() > 0.9, eight::toString);
    assertNotEquals(0.1, eight.temperature(), 1e-3);
    // unit vectors in one dimension are ±1: every score is ±1/τ, a near-constant ranking
    assertTrue(one.meanKendallTau() < 0.2 && one.mrrAt10() < 0.2, one::toString);
    // a fixed temperature stays put
    Result fixed = EmbeddingCapacityFit.fit(teacher, Config.of(new MarginMseLoss()).withNormalisation(0.1, false)
        .withSteps(20, 0.05));
    assertEquals(0.1, fixed.temperature(), 1e-6);
  }

  @Test
  void aFitIsDeterminedByItsSeed() {
    Config config = Config.of(new ScoreMseLoss()).withDimension(2).withSteps(30, 0.05);
    assertEquals(EmbeddingCapacityFit.fit(teacher, config), EmbeddingCapacityFit.fit(teacher, config));
    assertNotEquals(EmbeddingCapacityFit.fit(teacher, config), EmbeddingCapacityFit.fit(teacher, config.withSeed(7)));
  }

  @Test
  void powersOfTwoUpToTheMaximum() {
    assertArrayEquals(new int[] {1, 2, 4, 8, 16, 32, 64, 128, 256}, EmbeddingCapacityFit.powersOfTwo(256));
    assertArrayEquals(new int[] {1, 2, 4}, EmbeddingCapacityFit.powersOfTwo(7));
  }

  private static double[][] gaussian(Random random, int rows, int cols) {
    double[][] x = new double[rows][cols];
    for (double[] row : x) {
      for (int i = 0; i < cols; i++) {
        row[i] = random.nextGaussian();
      }
    }
    return x;
  }
}
