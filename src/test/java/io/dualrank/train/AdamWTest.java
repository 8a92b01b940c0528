package io.dualrank.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdamWTest {
  @TempDir Path tmp;

  private static Parameter parameter(NDManager m, String name, float... values) {
    NDArray a = m.create(values);
    a.setRequiresGradient(true);
    return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optArray(a).build();
  }

  /** Loss Σ (w − c)² with c = (1, −2): gradient 2(w − c). */
  private static void backward(NDManager m, Parameter p) {
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray loss = p.getArray().sub(m.create(new float[] {1f, -2f})).square().sum();
      gc.backward(loss);
    }
  }

  @Test
  void firstTwoStepsMatchTheFormulaByHand() {
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter w = parameter(m, "weight", 0.5f, 0.5f);
      AdamW opt = new AdamW(List.of(w), 0.9f, 0.999f, 1e-8f, 0.1f, m);
      backward(m, w);
      opt.step(0.01f);
      // Step 1: g = 2(w − c) = (−1, 5); m̂ = g, v̂ = g², so m̂/√v̂ = sign(g) = (−1, 1);
      // w ← w − lr·(sign(g) + λ·w) = 0.5 − 0.01·(∓1 + 0.05) → (0.5095, 0.4895).
      assertArrayEquals(new float[] {0.5095f, 0.4895f}, w.getArray().toFloatArray(), 1e-6f);
      backward(m, w);
      opt.step(0.01f);
      // Step 2, first coordinate: g2 = 2(0.5095 − 1) = −0.981; m = 0.9·0.1·(−1)... computed in double below.
      double g1 = -1, g2 = 2 * (0.5095 - 1);
      double m2 = 0.9 * 0.1 * g1 + 0.1 * g2, v2 = 0.999 * 0.001 * g1 * g1 + 0.001 * g2 * g2;
      double mHat = m2 / (1 - 0.81), vHat = v2 / (1 - 0.998001);
      double expected = 0.5095 - 0.01 * (mHat / (Math.sqrt(vHat) + 1e-8) + 0.1 * 0.5095);
      assertEquals(expected, w.getArray().toFloatArray()[0], 1e-6);
      assertEquals(2, opt.updates());
    }
  }

  @Test
  void biasesAreNotDecayedAndGradientsAreZeroedAfterAStep() {
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter b = parameter(m, "dense.bias", 0.5f, 0.5f);
      AdamW opt = new AdamW(List.of(b), 0.9f, 0.999f, 1e-8f, 0.1f, m);
      backward(m, b);
      opt.step(0.01f);
      assertArrayEquals(new float[] {0.51f, 0.49f}, b.getArray().toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {0f, 0f}, b.getArray().getGradient().toFloatArray());
    }
  }

  @Test
  void savedStateResumesExactly() throws Exception {
    float[] uninterrupted;
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter w = parameter(m, "weight", 0.5f, 0.5f);
      AdamW opt = AdamW.forFineTuning(List.of(w), m);
      for (int i = 0; i < 6; i++) {
        backward(m, w);
        opt.step(0.05f);
      }
      uninterrupted = w.getArray().toFloatArray();
    }
    float[] halfway;
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter w = parameter(m, "weight", 0.5f, 0.5f);
      AdamW opt = AdamW.forFineTuning(List.of(w), m);
      for (int i = 0; i < 3; i++) {
        backward(m, w);
        opt.step(0.05f);
      }
      opt.save(tmp.resolve("opt.bin"));
      halfway = w.getArray().toFloatArray();
    }
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter w = parameter(m, "weight", halfway);
      AdamW opt = AdamW.forFineTuning(List.of(w), m);
      opt.load(tmp.resolve("opt.bin"));
      assertEquals(3, opt.updates());
      for (int i = 0; i < 3; i++) {
        backward(m, w);
        opt.step(0.05f);
      }
      assertArrayEquals(uninterrupted, w.getArray().toFloatArray(), 0f);
    }
  }

  @Test
  void clippingScalesTheGlobalNormDown() {
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter w = parameter(m, "weight", 0.5f, 0.5f);
      backward(m, w); // g = (−1, 5), ‖g‖ = √26
      assertEquals(Math.sqrt(26), GradientClipping.clipGlobalNorm(List.of(w), 1.0), 1e-5);
      float[] g = w.getArray().getGradient().toFloatArray();
      assertEquals(1.0, Math.hypot(g[0], g[1]), 1e-5);
      assertEquals(-1 / Math.sqrt(26), g[0], 1e-5);
    }
  }

  @Test
  void scheduleWarmsUpThenDecaysLinearly() {
    LearningRateSchedule s = new LearningRateSchedule(1f, 4, 10);
    assertEquals(0.25f, s.at(0));
    assertEquals(1f, s.at(3));
    assertEquals(1f, s.at(4));
    assertEquals(0.5f, s.at(7));
    assertEquals(1f / 6, s.at(9), 1e-7);
  }
}
