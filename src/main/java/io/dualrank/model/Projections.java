package io.dualrank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A block's linear projections in one {@link MatrixPrecision}. In {@link MatrixPrecision#INT8} their weights
 * are quantised and packed when this is made ({@link Int8Linear}), so weights changed afterwards are not seen:
 * make it again (the encoders do on every {@code setMatrixPrecision}).
 */
final class Projections implements AutoCloseable {
  static final Projections FP32 = new Projections(MatrixPrecision.FP32);

  private final MatrixPrecision precision;
  private final Map<Linear, Int8Linear> packed = new IdentityHashMap<>();

  /** The projections {@code linears} (initialised) in {@code precision}. */
  Projections(MatrixPrecision precision, Linear... linears) {
    this.precision = precision;
    if (precision == MatrixPrecision.INT8) {
      for (Linear linear : linears) {
        packed.put(linear, Int8Linear.pack(linear.getParameters().get("weight").getArray(),
            linear.getParameters().get("bias").getArray()));
      }
    }
  }

  MatrixPrecision precision() {
    return precision;
  }

  /**
   * {@code linear}'s {@code x Wᵀ + b} with its product in this precision; in {@link MatrixPrecision#FP32}
   * exactly the block's own forward.
   *
   * @throws IllegalStateException in {@link MatrixPrecision#INT8} when {@code training}
   */
  NDArray project(Linear linear, ParameterStore ps, NDArray x, boolean training) {
    if (precision == MatrixPrecision.FP32) {
      return linear.forward(ps, new NDList(x), training).head();
    }
    if (precision == MatrixPrecision.INT8) {
      if (training) {
        throw new IllegalStateException("int8 matrix products are for inference only: set fp32, bf16 or fp16 to train");
      }
      return packed.get(linear).apply(x);
    }
    NDArray weight = ps.getValue(linear.getParameters().get("weight"), x.getDevice(), training);
    NDArray bias = ps.getValue(linear.getParameters().get("bias"), x.getDevice(), training);
    return precision.linear(x, weight, bias);
  }

  /** Frees the packed int8 weights. */
  @Override
  public void close() {
    packed.values().forEach(Int8Linear::close);
    packed.clear();
  }
}
