package io.dualrank.index;

import java.util.SplittableRandom;

/** Seeded random embeddings for tests and benchmarks: Gaussian vectors, optionally scaled to unit norm. */
public final class RandomVectors {
  private RandomVectors() {}

  public static float[][] gaussian(int count, int dimension, boolean unit, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] vectors = new float[count][dimension];
    for (float[] v : vectors) {
      double norm = 0;
      for (int j = 0; j < dimension; j++) {
        v[j] = (float) gaussian(random);
        norm += v[j] * v[j];
      }
      if (unit) {
        float scale = (float) (1 / Math.sqrt(norm));
        for (int j = 0; j < dimension; j++) {
          v[j] *= scale;
        }
      }
    }
    return vectors;
  }

  /** A standard normal deviate (Box–Muller). */
  private static double gaussian(SplittableRandom random) {
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
