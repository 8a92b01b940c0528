package io.dualrank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import java.util.Set;

/**
 * One linear projection {@code y = x Wᵀ + b} in int8, through PyTorch's dynamically quantised kernels
 * ({@code quantized::linear_dynamic}, FBGEMM): the weight is quantised once, when packed, and the activations on
 * every call; the result is float32. Inference only: these kernels have no gradient.
 *
 * <p>Weights: {@code torch.quantize_per_channel} to qint8 per output row with zero point 0 and scale {@code
 * max(max|W_row| / 127.5, ε)} (ε = float32's machine epsilon) — the parameters that PyTorch's {@code
 * PerChannelMinMaxObserver} (qscheme {@code per_channel_symmetric}, the weight observer of its per-channel
 * dynamic qconfig) computes; the observers are Python-only, so this formula is their two lines; rounding and
 * clamping to [-128, 127] are PyTorch's. Then {@code quantized::linear_prepack} lays the int8 matrix out for
 * FBGEMM. Activations: {@code linear_dynamic} takes the min and max of the whole input tensor (all rows of the
 * batch together), quantises it to uint8 with that one scale and zero point, multiplies in int32 and
 * dequantises with the bias added. So a row's output depends slightly on the other rows of its batch.
 *
 * <p>{@code reduce_range} (7-bit activations) is on only where the CPU lacks {@code avx512_vnni}: FBGEMM's AVX2
 * kernel (vpmaddubsw; FBGEMM has no AVX-VNNI one) sums pairs of u8·s8 products in saturating int16, which
 * 8-bit activations can overflow; AVX512-VNNI's vpdpbusd accumulates in int32. PyTorch's own {@code nn.quantized.dynamic.Linear} always passes
 * {@code True}, for the AVX2 case.
 *
 * <p>The packed weight is a TorchScript object, not a tensor: it lives here as a native {@code IValue} until
 * {@link #close}.
 */
final class Int8Linear implements AutoCloseable {
  private static final String PACKED = "__torch__.torch.classes.quantized.LinearPackedParamsBase";
  private static final boolean REDUCE_RANGE = reduceRange(MatrixPrecision.cpuFlags());
  private static final PtSymbolBlock PACK = TorchScripts.load("Int8Pack", "w: Tensor, b: Tensor", PACKED,
      "s = torch.clamp_min(torch.div(torch.amax(torch.abs(w), [1]), 127.5), 1.1920928955078125e-07)",
      "q = torch.quantize_per_channel(w, s, torch.zeros_like(s, dtype=4), 0, 12)", // 4 = int64, 12 = qint8
      "return ops.quantized.linear_prepack(q, b)");
  private static final PtSymbolBlock APPLY = TorchScripts.load("Int8Apply", "x: Tensor, p: " + PACKED, "Tensor",
      "return ops.quantized.linear_dynamic(x, p, " + (REDUCE_RANGE ? "True" : "False") + ")");

  private final IValue packed;

  private Int8Linear(IValue packed) {
    this.packed = packed;
  }

  /** Quantises and packs float32 {@code weight [out, in]} and {@code bias [out]} as they are now. */
  static Int8Linear pack(NDArray weight, NDArray bias) {
    try (IValue w = IValue.from((PtNDArray) weight); IValue b = IValue.from((PtNDArray) bias)) {
      return new Int8Linear(PACK.forward(w, b));
    }
  }

  /** {@code x Wᵀ + b} on the last axis of float32 {@code x [..., in]}; float32, owned by {@code x}'s manager. */
  NDArray apply(NDArray x) {
    try (IValue in = IValue.from((PtNDArray) x); IValue out = APPLY.forward(in, packed)) {
      return out.toTensor((PtNDManager) x.getManager());
    }
  }

  /** Whether {@code linear_dynamic} should quantise activations to 7 bits on a CPU with these flags. */
  static boolean reduceRange(Set<String> cpuFlags) {
    return !cpuFlags.contains("avx512_vnni");
  }

  @Override
  public void close() {
    packed.close();
  }
}
