package io.dualrank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import io.dualrank.util.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Building blocks shared by the BERT blocks and their HuggingFace parameter names. */
final class BertBlocks {
  private BertBlocks() {}

  /**
   * {@code [B, H]} from the last hidden states {@code [B, L, H]}: the [CLS] state, or the mean of the states
   * of the real tokens ({@code mask} {@code [B, L]}, 1 for a token, 0 for padding).
   */
  static NDArray pool(NDArray hidden, NDArray mask, Pooling pooling) {
    if (pooling == Pooling.CLS) {
      return hidden.get(":, 0, :");
    }
    NDArray m = mask.toType(DataType.FLOAT32, false).expandDims(2);
    NDArray count = m.sum(new int[] {1});
    return hidden.mul(m).sum(new int[] {1}).div(count.maximum(Tensors.scalar(count, 1e-9)));
  }

  /** The rows of {@code x} {@code [B, H]} scaled to unit L2 norm (a zero row stays zero). */
  static NDArray unit(NDArray x) {
    NDArray norm = x.norm(new int[] {1}, true);
    return x.div(norm.maximum(Tensors.scalar(norm, 1e-12)));
  }

  /** {@code y = x Wᵀ + b} on the last axis, W of shape {@code [units, in]} as in PyTorch. */
  static Linear linear(long units) {
    return Linear.builder().setUnits(units).build();
  }

  /** LayerNorm over the last axis of {@code [B, L, H]} activations, with the configured epsilon. */
  static LayerNorm layerNorm(BertConfig config) {
    return LayerNorm.builder().axis(2).optEpsilon(config.layerNormEps()).build();
  }

  /**
   * Copies named weights into the parameters of the same names (initialised ones). Every parameter must be
   * present with its exact shape.
   *
   * @return the names in {@code weights} that are no parameter's
   * @throws IllegalArgumentException naming the missing weights or the first one of another shape
   */
  static Set<String> copyWeights(Map<String, Parameter> parameters, Map<String, FloatTensor> weights) {
    Set<String> missing = new TreeSet<>(parameters.keySet());
    missing.removeAll(weights.keySet());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("weights lack " + missing);
    }
    parameters.forEach((name, parameter) -> {
      FloatTensor tensor = weights.get(name);
      NDArray array = parameter.getArray();
      if (!array.getShape().equals(tensor.shape())) {
        throw new IllegalArgumentException(name + ": shape " + tensor.shape() + ", expected " + array.getShape());
      }
      array.set(tensor.data());
    });
    Set<String> unused = new TreeSet<>(weights.keySet());
    unused.removeAll(parameters.keySet());
    return unused;
  }

  /** The current values of named parameters, as float tensors (a copy). */
  static Map<String, FloatTensor> values(Map<String, Parameter> parameters) {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    parameters.forEach((name, parameter) -> {
      NDArray array = parameter.getArray();
      out.put(name, new FloatTensor(array.getShape(), array.toFloatArray()));
    });
    return out;
  }

  static void putLinear(String prefix, Linear linear, Map<String, Parameter> out) {
    out.put(prefix + ".weight", linear.getParameters().get("weight"));
    out.put(prefix + ".bias", linear.getParameters().get("bias"));
  }

  static void putLayerNorm(String prefix, LayerNorm norm, Map<String, Parameter> out) {
    out.put(prefix + ".weight", norm.getParameters().get("gamma"));
    out.put(prefix + ".bias", norm.getParameters().get("beta"));
  }
}
