package io.dualrank.analysis;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/** Singular values and numerical rank of a dense matrix (SVD by commons-math3). */
public final class NumericalRank {
  private NumericalRank() {}

  /** Singular values, largest first. */
  public static double[] singularValues(double[][] matrix) {
    return new SingularValueDecomposition(new Array2DRowRealMatrix(matrix, false)).getSingularValues();
  }

  /** The number of singular values greater than {@code relativeTolerance · σ_max} (0 for a zero matrix). */
  public static int of(double[][] matrix, double relativeTolerance) {
    return above(singularValues(matrix), relativeTolerance);
  }

  /** The number of singular values (largest first) greater than {@code relativeTolerance · σ_max}. */
  public static int above(double[] sigma, double relativeTolerance) {
    int rank = 0;
    while (rank < sigma.length && sigma[rank] > relativeTolerance * sigma[0]) {
      rank++;
    }
    return rank;
  }

  /**
   * numpy's {@code matrix_rank} default for float32 data, max(rows, cols) · 2⁻²³: singular values below this
   * fraction of σ_max are indistinguishable from the rounding error of float scores.
   */
  public static double float32Tolerance(int rows, int cols) {
    return Math.max(rows, cols) * 0x1p-23;
  }
}
