package io.dualrank.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.List;

/** Clipping of the global gradient norm, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Scales every gradient by {@code min(1, maxNorm / ‖g‖)} where ‖g‖ is the L2 norm of all gradients
   * together; returns ‖g‖ before clipping. A non-finite ‖g‖ is returned with the gradients left as they are.
   */
  public static double clipGlobalNorm(List<Parameter> parameters, double maxNorm) {
    double sq = 0;
    for (Parameter p : parameters) {
      try (NDArray g = p.getArray().getGradient(); NDArray squared = g.square(); NDArray s = squared.sum()) {
        sq += s.getFloat();
      }
    }
    double norm = Math.sqrt(sq);
    if (Double.isFinite(norm) && norm > maxNorm) {
      float scale = (float) (maxNorm / (norm + 1e-6));
      for (Parameter p : parameters) {
        try (NDArray g = p.getArray().getGradient()) {
          g.muli(scale);
        }
      }
    }
    return norm;
  }

  /** Names (with shapes) of the parameters whose gradient holds a NaN or infinity. */
  static java.util.List<String> nonFinite(List<Parameter> parameters) {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (Parameter p : parameters) {
      try (NDArray g = p.getArray().getGradient()) {
        for (float v : g.toFloatArray()) {
          if (!Float.isFinite(v)) {
            names.add(p.getName() + " " + g.getShape());
            break;
          }
        }
      }
    }
    return names;
  }
}
