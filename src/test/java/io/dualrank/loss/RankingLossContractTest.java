package io.dualrank.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties every loss must have: masking, autograd against finite differences, a detached teacher. */
class RankingLossContractTest {
  private static LossTesting losses;

  // 3 queries x 5 candidates; row 0 has every candidate, row 1 loses candidate 2, row 2 candidates 3 and 4
  private static final boolean[][] MASK = {
    {true, true, true, true, true},
    {true, true, false, true, true},
    {true, true, true, false, false},
  };

  @BeforeAll
  static void open() {
    losses = new LossTesting();
  }

  @AfterAll
  static void close() {
    losses.close();
  }

  static Stream<RankingLoss> allLosses() {
    return Stream.of(
        new SoftmaxCrossEntropyLoss(0.7),
        new SoftmaxDistillationLoss(0.5, 2.0),
        new ScoreMseLoss(),
        new MarginMseLoss(),
        new MultiMarginMseLoss(),
        RankingLosses.create("m3se", 0.3));
  }

  @ParameterizedTest
  @MethodSource("allLosses")
  void maskedCandidatesChangeNothing(RankingLoss loss) {
    double[][] student = random(3, 5, 1);
    double[][] teacher = random(3, 5, 2);
    double[][] paddedStudent = LossTesting.copy(student);
    double[][] paddedTeacher = LossTesting.copy(teacher);
    for (int i = 0; i < MASK.length; i++) {
      for (int j = 0; j < MASK[i].length; j++) {
        if (!MASK[i][j]) {
          paddedStudent[i][j] = j % 2 == 0 ? Double.NaN : 1e6; // padding may hold anything
          paddedTeacher[i][j] = j % 2 == 0 ? 1e6 : Double.NaN;
        }
      }
    }
    // the loss of the padded batch is the mean of each query's loss computed on its valid candidates alone
    double meanOfRows = 0;
    for (int i = 0; i < MASK.length; i++) {
      meanOfRows += losses.value(loss, new double[][] {valid(student[i], MASK[i])},
          new double[][] {valid(teacher[i], MASK[i])}, null) / MASK.length;
    }
    assertEquals(meanOfRows, losses.value(loss, paddedStudent, paddedTeacher, MASK), 1e-12);

    double[] gradient = losses.gradient(loss, paddedStudent, paddedTeacher, MASK);
    for (int i = 0; i < MASK.length; i++) {
      for (int j = 0; j < MASK[i].length; j++) {
        double g = gradient[i * MASK[i].length + j];
        assertTrue(Double.isFinite(g), "gradient at " + i + "," + j + " is " + g);
        if (!MASK[i][j]) {
          assertEquals(0, g, 0, "gradient at masked " + i + "," + j);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("allLosses")
  void gradientMatchesCentralFiniteDifferences(RankingLoss loss) {
    double[][] student = random(3, 5, 3);
    double[][] teacher = random(3, 5, 4);
    double[] autograd = losses.gradient(loss, student, teacher, MASK);
    double[] numeric = losses.finiteDifferenceGradient(loss, student, teacher, MASK, 1e-5);
    assertTrue(maxAbs(autograd) > 1e-3, "a random point should have a non-trivial gradient");
    assertArrayEquals(numeric, autograd, 1e-8);
  }

  @Test
  void teacherScoresReceiveNoGradient() {
    try (NDManager m = losses.manager.newSubManager()) {
      NDArray student = m.create(random(2, 4, 5));
      NDArray teacher = m.create(random(2, 4, 6));
      student.setRequiresGradient(true);
      teacher.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(new MarginMseLoss().compute(student, teacher));
      }
      // a tensor that autograd never reached reports an all-zero (float32) gradient
      assertEquals(0, teacher.getGradient().abs().sum().toType(DataType.FLOAT64, false).getDouble(), 0);
      assertTrue(student.getGradient().abs().sum().getDouble() > 0);
    }
  }

  @Test
  void marginMseIgnoresAConstantAddedToAQuerysStudentScores() {
    double[][] student = random(3, 5, 7);
    double[][] shifted = LossTesting.copy(student);
    for (int i = 0; i < shifted.length; i++) {
      for (int j = 0; j < shifted[i].length; j++) {
        shifted[i][j] += 3.7 * (i + 1);
      }
    }
    double[][] teacher = random(3, 5, 8);
    RankingLoss loss = new MarginMseLoss();
    assertEquals(losses.value(loss, student, teacher, MASK), losses.value(loss, shifted, teacher, MASK), 1e-12);
  }

  @Test
  void mixtureIsTheConvexCombination() {
    double[][] student = random(3, 5, 9);
    double[][] teacher = random(3, 5, 10);
    double onehot = losses.value(new SoftmaxCrossEntropyLoss(), student, teacher, MASK);
    double m3se = losses.value(new MultiMarginMseLoss(), student, teacher, MASK);
    assertEquals(0.3 * onehot + 0.7 * m3se, losses.value(RankingLosses.create("m3se", 0.3), student, teacher, MASK), 1e-12);
  }

  @Test
  void factoryBuildsEachNamedLoss() {
    assertInstanceOf(SoftmaxCrossEntropyLoss.class, RankingLosses.create("onehot", 0.5));
    assertInstanceOf(SoftmaxDistillationLoss.class, RankingLosses.create("softmax-kl", 0));
    assertInstanceOf(ScoreMseLoss.class, RankingLosses.create("mse", 0));
    assertInstanceOf(MarginMseLoss.class, RankingLosses.create("margin-mse", 0));
    assertInstanceOf(MultiMarginMseLoss.class, RankingLosses.create("m3se", 0));
    assertInstanceOf(SoftmaxCrossEntropyLoss.class, RankingLosses.create("m3se", 1));
    RankingLoss mixed = RankingLosses.create("margin-mse", 0.25);
    assertInstanceOf(MixtureLoss.class, mixed);
    assertEquals("0.250*onehot+0.750*margin-mse", mixed.name());
    assertThrows(IllegalArgumentException.class, () -> RankingLosses.create("listnet", 0));
    assertThrows(IllegalArgumentException.class, () -> RankingLosses.create("mse", 1.5));
    assertThrows(IllegalArgumentException.class, () -> RankingLosses.create("softmax-kl", 0, 0, 1));
  }

  @Test
  void rejectsMalformedInputs() {
    RankingLoss loss = new MarginMseLoss();
    double[][] scores = random(2, 3, 11);
    assertThrows(IllegalArgumentException.class, () -> losses.value(loss, scores, null, null), "missing teacher");
    assertThrows(IllegalArgumentException.class, () -> losses.value(loss, scores, random(2, 4, 12), null), "shape");
    assertThrows(IllegalArgumentException.class, () -> losses.value(loss, scores, scores,
        new boolean[][] {{true, true, true}, {false, true, true}}), "masked positive");
    // the one-hot loss needs no teacher
    assertTrue(losses.value(new SoftmaxCrossEntropyLoss(), scores, null, null) > 0);
  }

  private static double[][] random(int rows, int cols, long seed) {
    Random random = new Random(seed);
    double[][] a = new double[rows][cols];
    for (double[] row : a) {
      for (int j = 0; j < cols; j++) {
        row[j] = 2 * random.nextGaussian();
      }
    }
    return a;
  }

  private static double[] valid(double[] row, boolean[] mask) {
    double[] kept = new double[row.length];
    int n = 0;
    for (int j = 0; j < row.length; j++) {
      if (mask[j]) {
        kept[n++] = row[j];
      }
    }
    return java.util.Arrays.copyOf(kept, n);
  }

  private static double maxAbs(double[] a) {
    double max = 0;
    for (double x : a) {
      max = Math.max(max, Math.abs(x));
    }
    return max;
  }
}
