package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.dualrank.train.AdamW;
import io.dualrank.train.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The low-precision matrix products. They run on any CPU (PyTorch emulates bf16/fp16 where the CPU lacks
 * them), so both paths are tested everywhere; the choice of path is injected with {@code setMatrixPrecision}.
 */
class MatrixPrecisionTest {
  @Test
  void castsToBfloat16KeepEightSignificantBits() {
    try (NDManager m = NDManager.newBaseManager()) {
      // 1 + 2^-7 is a bf16 number; 1 + 2^-9 is not (it rounds to 1); 1 + 2^-9 is a float16 number.
      NDArray x = m.create(new float[] {1.5f, -2.25f, 1 + 0x1p-7f, 1 + 0x1p-9f});
      float[] bf16 = TorchCasts.cast(TorchCasts.cast(x, TorchCasts.BFLOAT16), TorchCasts.FLOAT).toFloatArray();
      assertArrayEquals(new float[] {1.5f, -2.25f, 1 + 0x1p-7f, 1f}, bf16);
      float[] fp16 = TorchCasts.cast(TorchCasts.cast(x, TorchCasts.HALF), TorchCasts.FLOAT).toFloatArray();
      assertArrayEquals(new float[] {1.5f, -2.25f, 1 + 0x1p-7f, 1 + 0x1p-9f}, fp16);
    }
  }

  @Test
  void castsBelongToTheirInputsManagerAndAreFreedWithIt() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray cast;
      try (NDManager scratch = m.newSubManager()) {
        cast = MatrixPrecision.BF16.operand(scratch.ones(new Shape(3, 3)));
        assertTrue(cast.getManager() == scratch);
      }
      assertTrue(cast.isReleased());
    }
  }

  @Test
  void lowPrecisionProductsAreCloseToFloat32AndPassGradientsToFloat32Weights() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray[] xwb = unitNormalProduct(m);
      NDArray x = xwb[0];
      NDArray w = xwb[1];
      NDArray b = xwb[2];
      NDArray exact = MatrixPrecision.FP32.linear(x, w, b);
      NDArray exactGrad = gradientOfSum(x, w, b, MatrixPrecision.FP32);
      for (MatrixPrecision p : List.of(MatrixPrecision.BF16, MatrixPrecision.FP16)) {
        // |y| ~ 8 (64 products of unit normals): bf16's relative rounding 2^-8 per operand gives ~0.1 absolute.
        double error = productError(p, x, w, b, exact);
        assertTrue(error > 0 && error < (p == MatrixPrecision.BF16 ? 0.5 : 0.05), p + " max error " + error);
        NDArray grad = gradientOfSum(x, w, b, p);
        assertEquals(DataType.FLOAT32, grad.getDataType());
        double gradError = grad.sub(exactGrad).abs().max().getFloat();
        double scale = exactGrad.abs().max().getFloat();
        assertTrue(gradError < 0.02 * scale, p + " weight gradient error " + gradError + " of " + scale);
      }
      NDArray a = m.randomNormal(new Shape(2, 3, 7, 16));
      NDArray c = m.randomNormal(new Shape(2, 3, 16, 7));
      double error = MatrixPrecision.BF16.matMul(a, c).sub(a.matMul(c)).abs().max().getFloat();
      assertTrue(error > 0 && error < 0.3, "bf16 matMul max error " + error);
    }
  }

  /** d(sum(x Wᵀ + b))/dW for a fresh copy of W that requires a gradient. */
  private static NDArray gradientOfSum(NDArray x, NDArray w, NDArray b, MatrixPrecision p) {
    NDArray weight = w.duplicate();
    weight.setRequiresGradient(true);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.backward(p.linear(x, weight, b).sum());
    }
    return weight.getGradient().duplicate();
  }

  @Test
  void encoderUsesThePrecisionItIsGivenAndFloat32IsUnchanged() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(11);
      BertEncoder encoder = new BertEncoder(TinyModels.ENCODER).initializeParameters(m);
      NDList tokens = tokens(m, 3, 9);
      ParameterStore ps = new ParameterStore(m, false);
      float[] before = encoder.forward(ps, tokens, false).head().toFloatArray();
      float[] bf16 = encoder.setMatrixPrecision(MatrixPrecision.BF16).forward(ps, tokens, false).head().toFloatArray();
      assertEquals(MatrixPrecision.BF16, encoder.matrixPrecision());
      float[] fp32 = encoder.setMatrixPrecision(MatrixPrecision.FP32).forward(ps, tokens, false).head().toFloatArray();
      assertArrayEquals(before, fp32, "the float32 path is exactly the old one");
      double maxError = 0;
      for (int i = 0; i < before.length; i++) {
        maxError = Math.max(maxError, Math.abs(before[i] - bf16[i]));
      }
      // LayerNorm'd states of size ~1: bf16 products move them by a few 1e-2 at most.
      assertTrue(maxError > 0 && maxError < 0.1, "bf16 max state error " + maxError);
    }
  }

  /**
   * A fixed short run (30 AdamW steps, dropout on, seeded) of a tiny encoder on a toy ranking loss: the
   * bf16 loss curve stays within 0.02 (absolute) of float32's at every step, and two bf16 runs are
   * bit-identical.
   */
  @Test
  void bfloat16TrainingFollowsTheFloat32LossCurveAndRepeatsExactly() {
    double[] fp32 = lossCurve(MatrixPrecision.FP32);
    double[] bf16 = lossCurve(MatrixPrecision.BF16);
    assertArrayEquals(bf16, lossCurve(MatrixPrecision.BF16), "bf16 run repeats bit for bit");
    assertTrue(fp32[fp32.length - 1] < fp32[0] - 0.3, "the toy task is learned: " + fp32[0] + " -> " + fp32[fp32.length - 1]);
    for (int i = 0; i < fp32.length; i++) {
      assertEquals(fp32[i], bf16[i], 0.02, "loss at step " + i);
    }
  }

  private static double[] lossCurve(MatrixPrecision precision) {
    double[] losses = new double[30];
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(5);
      BertEncoder encoder = new BertEncoder(TinyModels.ENCODER).initializeParameters(m).setMatrixPrecision(precision);
      List<Parameter> parameters = encoder.getParameters().values();
      NDList tokens = tokens(m, 8, 12);
      try (AdamW adam = new AdamW(parameters, 0.9f, 0.999f, 1e-8f, 0.01f, m)) {
        for (int step = 0; step < losses.length; step++) {
          Engine.getInstance().setRandomSeed(100 + step);
          try (NDManager scratch = m.newSubManager()) {
            ParameterStore ps = new ParameterStore(scratch, false);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
              // Two groups of 4 sequences; the first of each group is the positive; score = [CLS] state's sum.
              NDArray scores = encoder.forward(ps, tokens, true).head().get(":, 0, :").sum(new int[] {1}).reshape(2, 4);
              NDArray loss = scores.logSoftmax(1).get(":, 0").neg().mean();
              collector.backward(loss);
              losses[step] = loss.getFloat();
            }
            adam.step(1e-3f);
          }
        }
      }
    }
    return losses;
  }

  private static NDList tokens(NDManager m, int batch, int length) {
    Engine.getInstance().setRandomSeed(17);
    NDArray ids = m.randomInteger(1000, 30000, new Shape(batch, length), DataType.INT64);
    return new NDList(ids, m.ones(new Shape(batch, length), DataType.INT64), m.zeros(new Shape(batch, length), DataType.INT64));
  }

  @Test
  void defaultsToBfloat16WithAmxTilesOrWhereItsProductIsMeasuredFaster(@TempDir Path dir) throws Exception {
    Path cpuinfo = dir.resolve("cpuinfo");
    Files.writeString(cpuinfo, "processor\t: 0\nflags\t\t: fpu sse avx512f avx512_bf16 avx512_fp16 amx_bf16 amx_tile\n"
        + "processor\t: 1\nflags\t\t: fpu\n");
    Set<String> amx = MatrixPrecision.cpuFlags(cpuinfo);
    assertTrue(amx.contains("amx_bf16") && amx.contains("avx512f") && !amx.contains("flags"));
    DoubleSupplier unmeasured = () -> {
      throw new AssertionError("measured where the flags decide");
    };
    assertEquals(MatrixPrecision.BF16, MatrixPrecision.trainingDefault(amx, unmeasured));
    Set<String> avx512Bf16 = Set.of("avx512f", "avx512_bf16", "avx512_fp16");
    // Emerald Rapids without AMX (0.61x) and an AMD EPYC of family 26 (8.8x), as measured in benchmarks.md
    assertEquals(MatrixPrecision.FP32, MatrixPrecision.trainingDefault(avx512Bf16, () -> 0.61));
    assertEquals(MatrixPrecision.FP32, MatrixPrecision.trainingDefault(avx512Bf16, () -> 1.49));
    assertEquals(MatrixPrecision.BF16, MatrixPrecision.trainingDefault(avx512Bf16, () -> 1.5));
    assertEquals(MatrixPrecision.BF16, MatrixPrecision.trainingDefault(avx512Bf16, () -> 8.8));
    assertTrue(MatrixPrecision.BF16.supportedBy(avx512Bf16) && MatrixPrecision.FP16.supportedBy(avx512Bf16));
    Set<String> epyc = Set.of("avx2", "fma");
    assertEquals(MatrixPrecision.FP32, MatrixPrecision.trainingDefault(epyc, unmeasured));
    assertFalse(MatrixPrecision.BF16.supportedBy(epyc) || MatrixPrecision.FP16.supportedBy(epyc));
    assertEquals(Set.of(), MatrixPrecision.cpuFlags(dir.resolve("absent")));
  }

  @Test
  void measuresTheBf16SpeedUpOnceAndTimesProductsInEachFloatFormat() {
    double speedUp = MatrixPrecision.measuredBf16SpeedUp();
    assertTrue(speedUp > 0 && Double.isFinite(speedUp), "speed-up " + speedUp);
    assertEquals(speedUp, MatrixPrecision.measuredBf16SpeedUp()); // once per JVM
    try (NDManager m = NDManager.newBaseManager()) {
      for (MatrixPrecision p : List.of(MatrixPrecision.FP32, MatrixPrecision.BF16, MatrixPrecision.FP16)) {
        double s = MatrixPrecision.productSeconds(p, m, new long[] {64, 32, 48});
        assertTrue(s > 0 && s < 60, p + ": " + s);
      }
      assertThrows(IllegalArgumentException.class,
          () -> MatrixPrecision.productSeconds(MatrixPrecision.INT8, m, new long[] {4, 4, 4}));
    }
  }

  @Test
  void parsesCommandLineNames() {
    assertEquals(MatrixPrecision.BF16, MatrixPrecision.parse("bf16"));
    assertEquals(MatrixPrecision.FP32, MatrixPrecision.parse("FP32"));
    assertEquals(MatrixPrecision.INT8, MatrixPrecision.parse("int8"));
    assertEquals("fp16", MatrixPrecision.FP16.cliName());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MatrixPrecision.parse("int4"));
    assertEquals("precision 'int4': expected fp32, bf16, fp16 or int8", e.getMessage());
    assertEquals(MatrixPrecision.FP16, MatrixPrecision.forTraining("fp16"));
    assertEquals(MatrixPrecision.trainingDefault(MatrixPrecision.cpuFlags()), MatrixPrecision.forTraining("AUTO"));
    assertEquals("precision 'int4': expected fp32, bf16, fp16 or auto",
        assertThrows(IllegalArgumentException.class, () -> MatrixPrecision.forTraining("int4")).getMessage());
  }

  @Test
  void int8IsRefusedForTraining() {
    String inferenceOnly = "precision 'int8' is for inference only (its quantised kernels have no gradients):"
        + " train in fp32, bf16 or fp16";
    assertEquals(inferenceOnly,
        assertThrows(IllegalArgumentException.class, () -> MatrixPrecision.forTraining("INT8")).getMessage());
    TrainSettings settings = new TrainSettings(10, 2, 3, 0, 20, 1, 1e-5f, 0.1f, 0.01f, 1.0, 1, "ce", 0.5, 1, 1,
        false, 5, 4, 10, 5);
    assertEquals(inferenceOnly, assertThrows(IllegalArgumentException.class,
        () -> settings.withPrecision(MatrixPrecision.INT8)).getMessage());
    try (NDManager m = NDManager.newBaseManager()) {
      BertEncoder encoder = new BertEncoder(TinyModels.ENCODER).initializeParameters(m)
          .setMatrixPrecision(MatrixPrecision.INT8);
      NDList tokens = tokens(m, 2, 5);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> encoder.forward(new ParameterStore(m, false), tokens, true));
      assertEquals("int8 matrix products are for inference only: set fp32, bf16 or fp16 to train", e.getMessage());
    }
  }

  @Test
  void int8NeedsAvx2AndKeeps8BitActivationsWithAvx512Vnni() {
    Set<String> emerald = Set.of("avx2", "avx512f", "avx512_vnni", "avx_vnni");
    Set<String> zen3 = Set.of("avx2", "fma");
    assertTrue(MatrixPrecision.INT8.supportedBy(emerald) && MatrixPrecision.INT8.supportedBy(zen3));
    assertFalse(MatrixPrecision.INT8.supportedBy(Set.of("sse4_2")));
    assertFalse(Int8Linear.reduceRange(emerald));
    assertTrue(Int8Linear.reduceRange(zen3));
    assertTrue(Int8Linear.reduceRange(Set.of("avx2", "avx_vnni")), "FBGEMM has no AVX-VNNI kernel");
  }

  /**
   * One int8 product of unit normals (|y| up to ~30): per-channel weights (step max|w_row| / 127.5 ≈ 0.03)
   * and per-tensor activations (step ≈ 8 / 255) err by a few hundredths per product of 64 terms.
   */
  @Test
  void int8ProductIsCloseToFloat32ButNotEqual() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray[] xwb = unitNormalProduct(m);
      NDArray x = xwb[0];
      NDArray w = xwb[1];
      NDArray b = xwb[2];
      NDArray exact = MatrixPrecision.FP32.linear(x, w, b);
      double error = productError(MatrixPrecision.INT8, x, w, b, exact);
      System.out.println("int8 product max error " + error + " of " + exact.abs().max().getFloat());
      assertTrue(error > 0 && error < 0.5, "int8 max error " + error);
      NDArray a = m.randomNormal(new Shape(2, 3, 7, 16));
      NDArray c = m.randomNormal(new Shape(2, 3, 16, 7));
      assertArrayEquals(a.matMul(c).toFloatArray(), MatrixPrecision.INT8.matMul(a, c).toFloatArray(),
          "attention products stay float32");
    }
  }

  /**
   * A tiny random encoder in int8: every token's last hidden state within cosine 0.999 of float32's but not
   * equal to it; float32 again afterwards is exactly the old path. Weights changed while in int8 are not seen
   * until int8 is set again (they were packed when set).
   */
  @Test
  void int8EncoderIsCloseToFloat32AndPacksTheWeightsWhenSet() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(11);
      BertEncoder encoder = new BertEncoder(TinyModels.ENCODER).initializeParameters(m);
      NDList tokens = tokens(m, 3, 9);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray fp32 = encoder.forward(ps, tokens, false).head();
      NDArray int8 = encoder.setMatrixPrecision(MatrixPrecision.INT8).forward(ps, tokens, false).head();
      assertEquals(MatrixPrecision.INT8, encoder.matrixPrecision());
      double maxError = int8.sub(fp32).abs().max().getFloat();
      double minCosine = minCosine(int8, fp32);
      System.out.println("tiny int8 encoder: max state error " + maxError + ", min cosine " + minCosine);
      assertTrue(maxError > 0, "the int8 path was taken");
      assertTrue(minCosine > 0.999, "min cosine " + minCosine);

      NDArray ffn = encoder.huggingFaceParameters().get("encoder.layer.0.intermediate.dense.weight").getArray();
      NDArray original = ffn.duplicate();
      ffn.muli(3);
      assertArrayEquals(int8.toFloatArray(), encoder.forward(ps, tokens, false).head().toFloatArray(),
          "packed when set: the change is not seen");
      NDArray scaledFp32 = encoder.setMatrixPrecision(MatrixPrecision.FP32).forward(ps, tokens, false).head();
      NDArray scaledInt8 = encoder.setMatrixPrecision(MatrixPrecision.INT8).forward(ps, tokens, false).head();
      assertTrue(scaledFp32.sub(fp32).abs().max().getFloat() > 0.01, "the change matters");
      assertTrue(minCosine(scaledInt8, scaledFp32) > 0.999, "set again: the new weights are used");
      original.copyTo(ffn);
      assertArrayEquals(fp32.toFloatArray(),
          encoder.setMatrixPrecision(MatrixPrecision.FP32).forward(ps, tokens, false).head().toFloatArray(),
          "float32 again is exactly the old path");
    }
  }

  /**
   * Pre-trained all-MiniLM-L6-v2: the mean-pooled embeddings of four documents (one batch, padded) in int8
   * are within cosine 0.99 of float32's — not issue 14's 0.999 (measured: 0.9929; per-tensor activation
   * scales are the limit, see docs/results/benchmarks.md, "int8 in PyTorch").
   */
  @Test
  void int8MiniLmEmbeddingsStayWithinCosine099OfFloat32() {
    PretrainedEncoder minilm = PretrainedEncoder.ALL_MINILM_L6_V2;
    try (NDManager m = NDManager.newBaseManager()) {
      BertEncoder encoder = minilm.load(m);
      NDList tokens = minilm.tokenizer().encode(HuggingFaceExportTest.DOCUMENTS, 128).toNDList(m);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray fp32 = BertBlocks.pool(encoder.forward(ps, tokens, false).head(), tokens.get(1), Pooling.MEAN);
      encoder.setMatrixPrecision(MatrixPrecision.INT8);
      NDArray int8 = BertBlocks.pool(encoder.forward(ps, tokens, false).head(), tokens.get(1), Pooling.MEAN);
      double minCosine = minCosine(int8, fp32);
      System.out.println("MiniLM int8 embeddings: min cosine to fp32 " + minCosine);
      assertTrue(minCosine > 0.99 && minCosine < 0.9999, "min cosine " + minCosine);
    }
  }

  /** The smallest cosine between matching rows (last axis) of {@code a} and {@code b}. */
  private static double minCosine(NDArray a, NDArray b) {
    NDArray dot = a.mul(b).sum(new int[] {-1});
    return dot.div(a.norm(new int[] {-1}).mul(b.norm(new int[] {-1}))).min().getFloat();
  }

  /** Max |p.linear(x, w, b) − exact|, after checking the product is float32 of {@code exact}'s shape. */
  private static double productError(MatrixPrecision p, NDArray x, NDArray w, NDArray b, NDArray exact) {
    NDArray y = p.linear(x, w, b);
    assertEquals(DataType.FLOAT32, y.getDataType());
    assertEquals(exact.getShape(), y.getShape());
    return y.sub(exact).abs().max().getFloat();
  }

  /** Seeded unit normals {@code x [4, 5, 64]}, {@code W [48, 64]}, {@code b [48]} for one product. */
  private static NDArray[] unitNormalProduct(NDManager m) {
    Engine.getInstance().setRandomSeed(3);
    return new NDArray[] {m.randomNormal(new Shape(4, 5, 64)), m.randomNormal(new Shape(48, 64)), m.randomNormal(new Shape(48))};
  }
}
