package io.dualrank.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

/** Evaluates losses on plain Java arrays in float64 on a shared manager, and their gradients. */
final class LossTesting implements AutoCloseable {
  final NDManager manager = NDManager.newBaseManager();

  /** The loss value; {@code teacher} and {@code mask} may be null. */
  double value(RankingLoss loss, double[][] student, double[][] teacher, boolean[][] mask) {
    try (NDManager m = manager.newSubManager()) {
      return loss.compute(m.create(student), teacher == null ? null : m.create(teacher), mask == null ? null : m.create(mask))
          .getDouble();
    }
  }

  /** d loss / d student, by autograd, flattened row-major. */
  double[] gradient(RankingLoss loss, double[][] student, double[][] teacher, boolean[][] mask) {
    try (NDManager m = manager.newSubManager()) {
      NDArray s = m.create(student);
      s.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(loss.compute(s, teacher == null ? null : m.create(teacher), mask == null ? null : m.create(mask)));
      }
      return s.getGradient().toDoubleArray();
    }
  }

  /** d loss / d student by central differences with step h, flattened row-major. */
  double[] finiteDifferenceGradient(RankingLoss loss, double[][] student, double[][] teacher, boolean[][] mask, double h) {
    int cols = student[0].length;
    double[] gradient = new double[student.length * cols];
    for (int i = 0; i < student.length; i++) {
      for (int j = 0; j < cols; j++) {
        double[][] plus = copy(student);
        double[][] minus = copy(student);
        plus[i][j] += h;
        minus[i][j] -= h;
        gradient[i * cols + j] = (value(loss, plus, teacher, mask) - value(loss, minus, teacher, mask)) / (2 * h);
      }
    }
    return gradient;
  }

  static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  @Override
  public void close() {
    manager.close();
  }
}
