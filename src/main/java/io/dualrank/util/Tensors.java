package io.dualrank.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Constants for arithmetic that autograd records.
 *
 * <p>DJL's {@code NDArray.div(Number)}, {@code mul(Number)}, {@code maximum(Number)} and the like (PyTorch
 * engine) wrap the number in a tensor that views a Java direct buffer and close that wrapper right after the
 * operation. When the operation is recorded for backward, PyTorch keeps the scalar, but nothing keeps the
 * buffer: once the garbage collector frees it, backward reads freed memory, and gradients turn to garbage
 * or NaN at random (we saw exactly that). A scalar made here is allocated by PyTorch itself, so PyTorch's
 * reference counting keeps it alive as long as the graph needs it. Use it for every constant in a forward
 * pass or a loss.
 */
public final class Tensors {
  private Tensors() {}

  /** A 0-d tensor holding {@code value} (exactly, in float64), of the type and on the manager of {@code like}. */
  public static NDArray scalar(NDArray like, double value) {
    var manager = like.getManager();
    // The boxed value views a Java buffer; adding it to a PyTorch-allocated zero copies it into PyTorch's memory.
    try (NDArray boxed = manager.create(value);
        NDArray typed = boxed.toType(like.getDataType(), true);
        NDArray zero = manager.zeros(new Shape(), like.getDataType(), like.getDevice())) {
      return zero.add(typed);
    }
  }
}
