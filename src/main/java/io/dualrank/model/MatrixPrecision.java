package io.dualrank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.function.DoubleSupplier;
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
 *
 * <p>{@link #INT8} is for inference only: the linear projections run in PyTorch's dynamically quantised int8
 * kernels ({@link Int8Linear}: weights per output channel, activations per call), the attention products
 * {@code Q Kᵀ} and {@code P V} stay float32 (both operands are activations, there is no weight to quantise
 * once; they are ~6% of a MiniLM layer's FLOPs at 160 tokens). An encoder set to it packs its weights when
 * set, and refuses to run in training mode.
 */
public enum MatrixPrecision {
  FP32(TorchCasts.FLOAT),
  BF16(TorchCasts.BFLOAT16),
  FP16(TorchCasts.HALF),
  /** Inference only; its operands stay float32 and are quantised inside {@link Int8Linear}. */
  INT8(TorchCasts.FLOAT);

  private final int scalarType;

  MatrixPrecision(int scalarType) {
    this.scalarType = scalarType;
  }

  /**
   * {@code x Wᵀ + b} on the last axis of {@code x}, W {@code [out, in]}; float32 in and out. In {@link #INT8}
   * the weight is quantised and packed on this call (no gradient); an encoder packs its weights once instead.
   */
  public NDArray linear(NDArray x, NDArray weight, NDArray bias) {
    if (this == FP32) {
      return Linear.linear(x, weight, bias).singletonOrThrow();
    }
    if (this == INT8) {
      try (Int8Linear packed = Int8Linear.pack(weight, bias)) {
        return packed.apply(x);
      }
    }
    return toFloat(Linear.linear(low(x), low(weight), low(bias)).singletonOrThrow());
  }

  /** The batched product {@code a · b}; float32 in and out (and float32 throughout in {@link #INT8}). */
  public NDArray matMul(NDArray a, NDArray b) {
    if (this == FP32 || this == INT8) {
      return a.matMul(b);
    }
    return toFloat(low(a).matMul(low(b)));
  }

  /**
   * A float32 {@code x} as this format's {@code matMul} takes it (itself for {@link #FP32} and {@link #INT8}); a low-precision
   * operand is only for {@code matMul} or {@code Linear.linear} (a bf16 one reports DJL's {@code UNKNOWN}).
   */
  public NDArray operand(NDArray x) {
    return this == FP32 || this == INT8 ? x : low(x);
  }

  private NDArray low(NDArray x) {
    return TorchCasts.cast(x, scalarType);
  }

  private static NDArray toFloat(NDArray x) {
    return TorchCasts.cast(x, TorchCasts.FLOAT);
  }

  /** The lower-case name used on the command line: fp32, bf16, fp16, int8. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code fp32}, {@code bf16}, {@code fp16} or {@code int8} (any case). */
  public static MatrixPrecision parse(String name) {
    for (MatrixPrecision p : values()) {
      if (p.cliName().equalsIgnoreCase(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("precision '" + name + "': expected fp32, bf16, fp16 or int8");
  }

  /** {@code auto} = {@link #trainingDefault} of this machine's CPU, else {@link #parse}; never {@link #INT8}. */
  public static MatrixPrecision forTraining(String name) {
    if (name.equalsIgnoreCase("auto")) {
      return trainingDefault(cpuFlags());
    }
    MatrixPrecision p;
    try {
      p = parse(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("precision '" + name + "': expected fp32, bf16, fp16 or auto", e);
    }
    requireTrainable(p);
    return p;
  }

  /** @throws IllegalArgumentException for {@link #INT8}, which has no gradients */
  public static void requireTrainable(MatrixPrecision p) {
    if (p == INT8) {
      throw new IllegalArgumentException("precision 'int8' is for inference only (its quantised kernels have no"
          + " gradients): train in fp32, bf16 or fp16");
    }
  }

  /**
   * Whether the CPU with these {@code /proc/cpuinfo} flags multiplies in this format natively: bf16 needs
   * {@code avx512_bf16} (vdpbf16ps) or {@code amx_bf16}; fp16 needs {@code avx512_fp16} or {@code amx_fp16};
   * int8 needs {@code avx2}, the least FBGEMM runs on (PyTorch's {@code fbgemmSupportedCPU}; with {@code
   * avx512_vnni} it also keeps 8-bit activations, see {@link Int8Linear}); fp32 always. Without them PyTorch
   * still computes bf16/fp16, by slow emulation; int8 without AVX2 was not tried.
   */
  public boolean supportedBy(Set<String> cpuFlags) {
    return switch (this) {
      case FP32 -> true;
      case BF16 -> cpuFlags.contains("avx512_bf16") || cpuFlags.contains("amx_bf16");
      case FP16 -> cpuFlags.contains("avx512_fp16") || cpuFlags.contains("amx_fp16");
      case INT8 -> cpuFlags.contains("avx2");
    };
  }

  /** The least speed-up of a bf16 product over float32's for which {@code auto} trains in bf16 without AMX. */
  static final double AUTO_MIN_BF16_SPEED_UP = 1.5;

  /** The product {@link #productSeconds} times for {@code auto}: [1024, 384] × [384, 1536], a BERT FFN's shape. */
  private static final long[] AUTO_PRODUCT = {1024, 384, 1536};

  /** {@link #trainingDefault(Set, DoubleSupplier)} with the speed-up measured on this machine, once per JVM. */
  public static MatrixPrecision trainingDefault(Set<String> cpuFlags) {
    return trainingDefault(cpuFlags, MatrixPrecision::measuredBf16SpeedUp);
  }

  /**
   * The training default for a CPU with these flags: {@link #BF16} where AMX-BF16 tiles are present; {@link
   * #FP32} where there is no native bf16 product; with AVX512-BF16 alone, bf16 only where {@code bf16SpeedUp}
   * (float32's time for a product over bf16's) is at least {@link #AUTO_MIN_BF16_SPEED_UP}. The flags cannot
   * tell: oneDNN's AVX512-BF16 GEMM measured 0.61× float32 on an Emerald Rapids without AMX and 8.8× on an AMD
   * EPYC of family 26 (Zen 5), training steps 0.73× and 2.26× (docs/results/benchmarks.md, "Matrix precision").
   * Never fp16: its narrow exponent range needs loss scaling, which this path does not do.
   */
  static MatrixPrecision trainingDefault(Set<String> cpuFlags, DoubleSupplier bf16SpeedUp) {
    if (cpuFlags.contains("amx_bf16")) {
      return BF16;
    }
    if (!cpuFlags.contains("avx512_bf16")) {
      return FP32;
    }
    return bf16SpeedUp.getAsDouble() >= AUTO_MIN_BF16_SPEED_UP ? BF16 : FP32;
  }

  private static volatile double measuredBf16SpeedUp = Double.NaN;

  /**
   * float32's time for the {@link #AUTO_PRODUCT} product over bf16's on this machine: the median of 5 ratios of
   * interleaved runs, after one warm-up of each; measured once per JVM (about a second) and said on stderr.
   */
  static double measuredBf16SpeedUp() {
    if (Double.isNaN(measuredBf16SpeedUp)) {
      synchronized (MatrixPrecision.class) {
        if (Double.isNaN(measuredBf16SpeedUp)) {
          try (NDManager manager = NDManager.newBaseManager()) {
            productSeconds(FP32, manager, AUTO_PRODUCT);
            productSeconds(BF16, manager, AUTO_PRODUCT);
            double[] ratios = new double[5];
            for (int i = 0; i < ratios.length; i++) {
              ratios[i] = productSeconds(FP32, manager, AUTO_PRODUCT) / productSeconds(BF16, manager, AUTO_PRODUCT);
            }
            Arrays.sort(ratios);
            measuredBf16SpeedUp = ratios[ratios.length / 2];
          }
          System.err.printf(Locale.ROOT, "precision auto: a bf16 matrix product runs %.2fx as fast as float32's on"
              + " this CPU (bf16 from %.1fx)%n", measuredBf16SpeedUp, AUTO_MIN_BF16_SPEED_UP);
        }
      }
    }
    return measuredBf16SpeedUp;
  }

  /**
   * Seconds of one product {@code a · b} in this format (fp32, bf16 or fp16), a {@code [shape[0], shape[1]]}
   * and b {@code [shape[1], shape[2]]} random normal; the operands are cast before the clock starts.
   */
  public static double productSeconds(MatrixPrecision p, NDManager manager, long[] shape) {
    if (p == INT8) {
      throw new IllegalArgumentException("int8 has no product of two activations: see Int8Linear");
    }
    try (NDManager scratch = manager.newSubManager()) {
      NDArray a = p.operand(scratch.randomNormal(new Shape(shape[0], shape[1])));
      NDArray b = p.operand(scratch.randomNormal(new Shape(shape[1], shape[2])));
      long started = System.nanoTime();
      a.matMul(b).close();
      return (System.nanoTime() - started) / 1e9;
    }
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
