package io.dualrank.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NumericalRankTest {
  @Test
  void rankOfKnownMatrices() {
    // row 2 = 2 · row 1; row 3 is independent of row 1: rank 2
    assertEquals(2, NumericalRank.of(new double[][] {{1, 2, 3}, {2, 4, 6}, {1, 0, 1}}, 1e-10));
    assertEquals(3, NumericalRank.of(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 1}}, 1e-10));
    assertEquals(0, NumericalRank.of(new double[2][3], 1e-10));
    // σ = (1, 1e-9): a second direction below the tolerance does not count
    assertEquals(1, NumericalRank.of(new double[][] {{1, 0}, {0, 1e-9}}, 1e-6));
    assertEquals(2, NumericalRank.of(new double[][] {{1, 0}, {0, 1e-9}}, 1e-12));
  }

  @Test
  void singularValuesOfARotatedDiagonal() {
    // [[3, 0], [0, -2]] rotated by 45°: singular values stay (3, 2)
    double c = Math.sqrt(0.5);
    double[][] rotated = {{3 * c, 2 * c}, {3 * c, -2 * c}};
    assertArrayEquals(new double[] {3, 2}, NumericalRank.singularValues(rotated), 1e-12);
  }

  @Test
  void float32ScoresOfAProductOfRankThreeFactorsHaveRankThree() {
    Random random = new Random(3);
    double[][] a = new double[20][3];
    double[][] b = new double[30][3];
    for (double[][] factor : new double[][][] {a, b}) {
      for (double[] row : factor) {
        for (int i = 0; i < 3; i++) {
          row[i] = random.nextGaussian();
        }
      }
    }
    double[][] s = new double[20][30];
    for (int q = 0; q < 20; q++) {
      for (int d = 0; d < 30; d++) {
        s[q][d] = (float) (a[q][0] * b[d][0] + a[q][1] * b[d][1] + a[q][2] * b[d][2]);
      }
    }
    assertEquals(3, NumericalRank.of(s, NumericalRank.float32Tolerance(20, 30)));
  }
}
