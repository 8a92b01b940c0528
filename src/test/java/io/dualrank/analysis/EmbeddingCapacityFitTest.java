package io.dualrank.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.analysis.EmbeddingCapacityFit.Config;
import io.dualrank.analysis.EmbeddingCapacityFit.Result;
import io.dualrank.loss.MarginMseLoss;
import io.dualrank.loss.MultiMarginMseLoss;
import io.dualrank.loss.ScoreMseLoss;
import java.util.List;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
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
  void eckartYoungBoundOfAMatrixWithKnownSingularValuesAndRowOffsets() {
    // S = U diag(σ) Vᵀ + o 1ᵀ, U and V orthonormal and V's columns orthogonal to 1: centring each row removes o
    // and leaves U diag(σ) Vᵀ, whose singular values are σ
    double[] sigma = {5, 3, 2, 1, 0.5};
    int n = 7;
    int m = 11;
    Random random = new Random(5);
    RealMatrix u = orthonormalColumns(gaussian(random, n, sigma.length), false);
    RealMatrix v = orthonormalColumns(gaussian(random, m, sigma.length), true);
    RealMatrix core = u.multiply(MatrixUtils.createRealDiagonalMatrix(sigma)).multiply(v.transpose());
    float[][] scores = new float[n][m];
    for (int q = 0; q < n; q++) {
      double offset = 10 * random.nextGaussian();
      for (int d = 0; d < m; d++) {
        scores[q][d] = (float) (core.getEntry(q, d) + offset);
      }
    }
    List<EmbeddingCapacityFit.LowRankBound> bounds =
        EmbeddingCapacityFit.eckartYoung(CandidateScoreMatrix.full(scores), 1, 2, 4, 5, 8);
    double entries = n * m;
    double spread = Math.sqrt((25 + 9 + 4 + 1 + 0.25) / entries);
    double[] byHand = {Math.sqrt((9 + 4 + 1 + 0.25) / entries), Math.sqrt((4 + 1 + 0.25) / entries),
        Math.sqrt(0.25 / entries), 0, 0};
    for (int i = 0; i < byHand.length; i++) {
      var b = bounds.get(i);
      assertEquals(new int[] {1, 2, 4, 5, 8}[i], b.dimension());
      // float32 scores of magnitude ~10: rounding errors near 1e-6
      assertEquals(byHand[i], b.rmse(), 1e-5, b::toString);
      assertEquals(spread, b.teacherSpread(), 1e-5, b::toString);
    }
  }

  @Test
  void theBoundNeedsAFullMatrix() {
    var e = assertThrows(IllegalArgumentException.class, () -> EmbeddingCapacityFit.eckartYoung(teacher, 1));
    assertTrue(e.getMessage().startsWith("the Eckart–Young bound needs a full score matrix: query 0 has "),
        e.getMessage());
  }

  @Test
  void noFitGoesBelowTheBoundAndTheRawMseFitReachesIt() {
    // a random 10 x 16 teacher with per-query offsets (full rank 10), and the same with its rows centred
    Random random = new Random(9);
    int n = 10;
    int m = 16;
    float[][] offset = new float[n][m];
    float[][] centred = new float[n][m];
    for (int q = 0; q < n; q++) {
      double o = 3 * random.nextGaussian();
      double mean = 0;
      double[] row = new double[m];
      for (int d = 0; d < m; d++) {
        row[d] = random.nextGaussian();
        mean += row[d] / m;
      }
      for (int d = 0; d < m; d++) {
        offset[q][d] = (float) (row[d] + o);
        centred[q][d] = (float) (row[d] - mean);
      }
    }
    int[] ks = {1, 2, 3, 4, 6};
    Config mse = Config.of(new ScoreMseLoss()).withSteps(600, 0.05);
    for (float[][] scores : List.of(offset, centred)) {
      CandidateScoreMatrix matrix = CandidateScoreMatrix.full(scores);
      var bounds = EmbeddingCapacityFit.eckartYoung(matrix, ks);
      List<Result> raw = EmbeddingCapacityFit.sweep(matrix, mse, ks);
      List<Result> l2 = EmbeddingCapacityFit.sweep(matrix, mse.withNormalisation(0.2, true), ks);
      for (int i = 0; i < ks.length; i++) {
        double bound = bounds.get(i).rmse() / bounds.get(i).teacherSpread();
        assertEquals(raw.get(i).teacherSpread(), bounds.get(i).teacherSpread(), 1e-12, "same spread");
        String what = "k = " + ks[i] + ", bound " + bound + ": " + raw.get(i) + " / " + l2.get(i);
        assertTrue(relative(raw.get(i)) >= bound - 1e-6, what);
        assertTrue(relative(l2.get(i)) >= bound - 1e-6, what);
        if (scores == centred) {
          // nothing to spend a dimension on but the centred scores: the mse optimum is the truncated SVD (600
          // steps come within 1e-4 of it at every k here)
          assertEquals(bound, relative(raw.get(i)), 1e-3, what);
        } else if (i + 1 < ks.length && ks[i + 1] == ks[i] + 1) {
          // the offsets take one dimension: the fit at k + 1 is within the bound at k
          assertTrue(relative(raw.get(i + 1)) <= bound + 1e-3, what);
        }
      }
    }
  }

  @Test
  void powersOfTwoUpToTheMaximum() {
    assertArrayEquals(new int[] {1, 2, 4, 8, 16, 32, 64, 128, 256}, EmbeddingCapacityFit.powersOfTwo(256));
    assertArrayEquals(new int[] {1, 2, 4}, EmbeddingCapacityFit.powersOfTwo(7));
  }

  private static double relative(Result r) {
    return r.calibratedRmse() / r.teacherSpread();
  }

  /** Q of the QR decomposition of {@code x}, its columns first made orthogonal to 1 when asked. */
  private static RealMatrix orthonormalColumns(double[][] x, boolean orthogonalToOnes) {
    if (orthogonalToOnes) {
      for (int j = 0; j < x[0].length; j++) {
        double mean = 0;
        for (double[] row : x) {
          mean += row[j] / x.length;
        }
        for (double[] row : x) {
          row[j] -= mean;
        }
      }
    }
    RealMatrix q = new QRDecomposition(MatrixUtils.createRealMatrix(x)).getQ();
    return q.getSubMatrix(0, x.length - 1, 0, x[0].length - 1);
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
