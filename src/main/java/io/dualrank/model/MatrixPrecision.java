package io.dualrank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The number format of the BERT blocks' matrix products — the linear projections (QKV, attention output,
 * FFN) and the two attention products {@code Q Kᵀ} and {@code P V}. Everything else stays float32:
 * embeddings, LayerNorm, softmax, GELU, residuals, the loss, the parameters ("master weights"), their
 * gradients and AdamW's state.
 *
 * <p>In {@link #BF16} or {@link #FP16} a product casts both operands, multiplies in that format (PyTorch's
 * oneDNN kernels, accumulating in float32) and casts the result back: {@code y = f32(low(x) · low(W)ᵀ +
 * low(b))}. Autograd goes through the casts, so the backward products run in the low format too and the
 * parameter gradients arrive in float32. {@link #FP32} is the plain float32 path, unchanged.
 */
public enum MatrixPrecision {
  FP32(TorchCasts.FLOAT),
  BF16(TorchCasts.BFLOAT16),
  FP16(TorchCasts.HALF);

  private final int scalarType;

  MatrixPrecision(int scalarType) {
    this.scalarType = scalarType;
  }

  /** {@code x Wᵀ + b} on the last axis of {@code x}, W {@code [out, in]}; float32 in and out. */
  public NDArray linear(NDArray x, NDArray weight, NDArray bias) {
    if (this == FP32) {
      return Linear.linear(x, weight, bias).singletonOrThrow();
    }
    return toFloat(Linear.linear(low(x), low(weight), low(bias)).singletonOrThrow());
  }

  /** The batched product {@code a · b}; float32 in and out. */
  public NDArray matMul(NDArray a, NDArray b) {
    if (this == FP32) {
      return a.matMul(b);
    }
    return toFloat(low(a).matMul(low(b)));
  }

  /**
   * A float32 {@code x} as this format's products take it (itself for {@link #FP32}); a low-precision
   * operand is only for {@code matMul} or {@code Linear.linear} (a bf16 one reports DJL's {@code UNKNOWN}).
   */
  public NDArray operand(NDArray x) {
    return this == FP32 ? x : low(x);
  }

  private NDArray low(NDArray x) {
    return TorchCasts.cast(x, scalarType);
  }

  private static NDArray toFloat(NDArray x) {
    return TorchCasts.cast(x, TorchCasts.FLOAT);
  }

  /** The lower-case name used on the command line: fp32, bf16, fp16. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code fp32}, {@code bf16} or {@code fp16} (any case). */
  public static MatrixPrecision parse(String name) {
    for (MatrixPrecision p : values()) {
      if (p.cliName().equalsIgnoreCase(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("precision '" + name + "': expected fp32, bf16 or fp16");
  }

  /** {@code auto} = {@link #trainingDefault} of this machine's CPU, else {@link #parse}. */
  public static MatrixPrecision forTraining(String name) {
    if (name.equalsIgnoreCase("auto")) {
      return trainingDefault(cpuFlags());
    }
    try {
      return parse(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("precision '" + name + "': expected fp32, bf16, fp16 or auto", e);
    }
  }

  /**
   * Whether the CPU with these {@code /proc/cpuinfo} flags multiplies in this format natively: bf16 needs
   * {@code avx512_bf16} (vdpbf16ps) or {@code amx_bf16}; fp16 needs {@code avx512_fp16} or {@code amx_fp16};
   * fp32 always. Without them PyTorch still computes, by slow emulation.
   */
  public boolean supportedBy(Set<String> cpuFlags) {
    return switch (this) {
      case FP32 -> true;
      case BF16 -> cpuFlags.contains("avx512_bf16") || cpuFlags.contains("amx_bf16");
      case FP16 -> cpuFlags.contains("avx512_fp16") || cpuFlags.contains("amx_fp16");
    };
  }

  /**
   * The training default for a CPU with these flags: {@link #BF16} where AMX-BF16 tiles are present, else
   * {@link #FP32}. Not bf16 on AVX512-BF16 alone: on such a CPU (Emerald Rapids without AMX) oneDNN's bf16
   * GEMM (brg_matmul:avx512_core_bf16) measured no faster than its float32 one, and training steps slower
   * once the casts are paid (docs/results/benchmarks.md, "Matrix precision"). Not fp16: its narrow exponent
   * range needs loss scaling, which this path does not do.
   */
  public static MatrixPrecision trainingDefault(Set<String> cpuFlags) {
    return cpuFlags.contains("amx_bf16") ? BF16 : FP32;
  }

  /** The flags of the first processor in {@code /proc/cpuinfo}; empty where there is no such file. */
  public static Set<String> cpuFlags() {
    return cpuFlags(Path.of("/proc/cpuinfo"));
  }

  static Set<String> cpuFlags(Path cpuinfo) {
    if (!Files.isReadable(cpuinfo)) {
      return Set.of();
    }
    try (var lines = Files.lines(cpuinfo)) {
      return lines.filter(l -> l.startsWith("flags")).findFirst()
          .map(l -> Arrays.stream(l.substring(l.indexOf(':') + 1).trim().split("\\s+")).collect(Collectors.toSet()))
          .orElse(Set.of());
    } catch (IOException e) {
      return Set.of();
    }
  }
}
