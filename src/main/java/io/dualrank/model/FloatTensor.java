package io.dualrank.model;

import ai.djl.ndarray.types.Shape;

/** A dense float32 tensor in row-major order, as read from a weights file. */
public record FloatTensor(Shape shape, float[] data) {
  public FloatTensor {
    if (shape.size() != data.length) {
      throw new IllegalArgumentException("shape " + shape + " needs " + shape.size() + " values, got " + data.length);
    }
  }

  /** The transpose of a matrix: {@code t[j][i] = this[i][j]}. */
  public FloatTensor transposed() {
    if (shape.dimension() != 2) {
      throw new IllegalStateException("not a matrix: " + shape);
    }
    int rows = Math.toIntExact(shape.get(0));
    int cols = Math.toIntExact(shape.get(1));
    float[] t = new float[data.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = data[i * cols + j];
      }
    }
    return new FloatTensor(new Shape(cols, rows), t);
  }
}
