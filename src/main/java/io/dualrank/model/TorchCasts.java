package io.dualrank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.training.ParameterStore;

/**
 * Differentiable dtype casts of PyTorch tensors, which DJL 0.36's own {@code NDArray.toType} cannot do for
 * mixed precision: its native side runs the cast under {@code torch::NoGradGuard} (no gradient reaches the
 * float32 parameter), and its dtype switch ({@code GetScalarTypeFromDType}) knows only DJL's codes 0–8, so
 * {@code DataType.BFLOAT16} (ordinal 11) reaches its {@code default: throw;} — a rethrow with no active
 * exception, i.e. {@code std::terminate} ("terminate called without an active exception").
 *
 * <p>Each cast is instead a one-line TorchScript module, {@code forward(x) = torch.to(x, dtype)} ({@link
 * TorchScripts}), run in training mode, so autograd records it whenever gradients are on. A cast's output
 * belongs to its input's manager. A bf16 output reports DJL's {@code DataType.UNKNOWN} (and DJL ops that pass a dtype code would misread it): only pass low-precision arrays to
 * dtype-agnostic products ({@code matMul}, {@code Linear.linear}) and cast back before anything else.
 */
final class TorchCasts {
  /** c10::ScalarType codes of the targets. */
  static final int HALF = 5;
  static final int FLOAT = 6;
  static final int BFLOAT16 = 15;

  private static final PtSymbolBlock TO_FLOAT = load(FLOAT);
  private static final PtSymbolBlock TO_HALF = load(HALF);
  private static final PtSymbolBlock TO_BFLOAT16 = load(BFLOAT16);

  private TorchCasts() {}

  /** {@code x} cast to the c10 scalar type {@code target} (one of the constants above), differentiably. */
  static NDArray cast(NDArray x, int target) {
    PtSymbolBlock module = switch (target) {
      case FLOAT -> TO_FLOAT;
      case HALF -> TO_HALF;
      case BFLOAT16 -> TO_BFLOAT16;
      default -> throw new IllegalArgumentException("no cast to scalar type " + target);
    };
    return module.forward(new ParameterStore(x.getManager(), false), new NDList(x), true).singletonOrThrow();
  }

  private static PtSymbolBlock load(int target) {
    return TorchScripts.load("Cast", "x: Tensor", "Tensor", "return torch.to(x, " + target + ")");
  }
}
