package io.dualrank.index;

import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Seeded random embeddings for tests and benchmarks: isotropic Gaussian vectors, optionally scaled to unit
 * norm, or unit vectors of low intrinsic dimension (see {@link #latent}).
 */
public final class RandomVectors {
  private RandomVectors() {}

  /**
   * A generator of unit vectors {@code normalise(W z + noise·g)}: z a standard Gaussian in {@code latentDim}
   * dimensions, W a fixed random {@code dimension × latentDim} Gaussian matrix (drawn from {@code seed}), g
   * a standard Gaussian in {@code dimension} dimensions. Like learned embeddings, the vectors concentrate
   * near a low-dimensional subspace; isotropic vectors ({@link #gaussian}) are the worst case for HNSW.
   */
  public static Function<SplittableRandom, float[]> latent(int dimension, int latentDim, double noise,
      long seed) {
    float[][] w = gaussian(dimension, latentDim, false, seed);
    double scale = 1 / Math.sqrt(latentDim);
    return random -> {
      float[] z = gaussian(random, latentDim, false);
      float[] v = new float[dimension];
      double norm = 0;
      for (int i = 0; i < dimension; i++) {
        double x = noise * gaussian(random);
        for (int j = 0; j < latentDim; j++) {
          x += scale * w[i][j] * z[j];
        }
        v[i] = (float) x;
        norm += x * x;
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < dimension; i++) {
        v[i] *= inv;
      }
      return v;
    };
  }

  public static float[][] gaussian(int count, int dimension, boolean unit, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] vectors = new float[count][];
    for (int i = 0; i < count; i++) {
      vectors[i] = gaussian(random, dimension, unit);
    }
    return vectors;
  }

  /** The next vector drawn from {@code random}. */
  public static float[] gaussian(SplittableRandom random, int dimension, boolean unit) {
    float[] v = new float[dimension];
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
    return v;
  }

  /** A standard normal deviate (Box–Muller). */
  private static double gaussian(SplittableRandom random) {
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
