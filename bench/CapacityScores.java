import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;

/**
 * One forward and backward pass of the capacity fit's scores ({@code io.dualrank.analysis.EmbeddingCapacityFit}) on
 * a full n × m matrix, two ways: gathering each query's [m, k] candidate vectors first (the code before 2026-12-07),
 * and the matrix product U Vᵀ gathered per row (the code since). Prints ms per step and the loss and a gradient sum,
 * which must agree:
 *
 * <pre>source bin/native-env; java -Dai.djl.offline=true -cp "target/dualrank.jar:target/lib/*" bench/CapacityScores.java K STEPS [N M]</pre>
 */
public final class CapacityScores {
  public static void main(String[] args) {
    int k = Integer.parseInt(args[0]);
    int steps = Integer.parseInt(args[1]);
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    int m = args.length > 3 ? Integer.parseInt(args[3]) : 1024;
    Random random = new Random(1);
    float[] u0 = new float[n * k];
    float[] v0 = new float[m * k];
    for (int i = 0; i < u0.length; i++) {
      u0[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < v0.length; i++) {
      v0[i] = (float) random.nextGaussian();
    }
    long[] order = new long[n * m]; // each row a rotation of the pool, as candidate lists put the top document first
    for (int q = 0; q < n; q++) {
      for (int c = 0; c < m; c++) {
        order[q * m + c] = (c + q) % m;
      }
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray index = manager.create(order, new Shape(n, m));
      for (boolean product : new boolean[] {false, true, false, true}) { // each twice: the first warms up
        NDArray u = manager.create(u0, new Shape(n, k));
        NDArray v = manager.create(v0, new Shape(m, k));
        u.setRequiresGradient(true);
        v.setRequiresGradient(true);
        long start = System.nanoTime();
        float loss = 0;
        float gradient = 0;
        for (int s = 0; s < steps; s++) {
          try (NDScope scope = new NDScope(); GradientCollector collector = manager.getEngine().newGradientCollector()) {
            scope.suppressNotUsedWarning();
            NDArray scores = product ? u.matMul(v.transpose()).gather(index, 1)
                : v.get(index).mul(u.expandDims(1)).sum(new int[] {2});
            NDArray l = scores.square().mean();
            collector.backward(l);
            loss = l.getFloat();
            gradient = u.getGradient().sum().getFloat();
          }
        }
        System.out.printf("n %d, m %d, k %d, %s: %.1f ms per step; loss %.6f, sum of dL/dU %.4f%n", n, m, k,
            product ? "U Vᵀ gathered" : "vectors gathered", (System.nanoTime() - start) / 1e6 / steps, loss, gradient);
      }
    }
  }
}
