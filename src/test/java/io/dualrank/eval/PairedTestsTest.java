package io.dualrank.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dualrank.data.Qrels;
import io.dualrank.data.Run;
import org.junit.jupiter.api.Test;

class PairedTestsTest {
  static final double[] A = {0.5, 0.6, 0.7, 0.8};
  static final double[] B = {0.6, 0.8, 0.8, 1.1};

  @Test
  void identicalRunsAreNotDifferent() {
    assertEquals(0, PairedTests.tStatistic(A, A));
    assertEquals(1, PairedTests.tTestP(A, A));
    assertEquals(1, PairedTests.randomizationP(A, A, 1000, 7));
  }

  @Test
  void tStatisticByHand() {
    // d = 0.1, 0.2, 0.1, 0.3: mean 0.175, sd sqrt(0.0275 / 3), t = 0.175 / (sd / 2); p from scipy.stats.ttest_rel
    assertEquals(3.6556307750696555, PairedTests.tStatistic(A, B), 1e-9);
    assertEquals(-3.6556307750696555, PairedTests.tStatistic(B, A), 1e-9);
    assertEquals(0.03535284700251735, PairedTests.tTestP(A, B), 1e-9);
    double[] x = {0.2, 0.4, 0.1, 0.9, 0.5, 0.3};
    double[] y = {0.3, 0.4, 0.35, 0.8, 0.7, 0.6};
    assertEquals(1.9867985355975661, PairedTests.tStatistic(x, y), 1e-9);
    assertEquals(0.10367326412393156, PairedTests.tTestP(x, y), 1e-9);
  }

  @Test
  void constantNonZeroDifferencesAreSignificant() {
    double[] base = {0.5, 0.6, 0.7, 0.8};
    double[] b = {1.5, 1.6, 1.7, 1.8};
    assertEquals(Double.POSITIVE_INFINITY, PairedTests.tStatistic(base, b));
    assertEquals(0, PairedTests.tTestP(base, b));
  }

  @Test
  void randomizationMatchesExactEnumeration() {
    // d = 1..5: of the 32 sign assignments only all-plus and all-minus reach |sum| = 15: p = 2/32
    double[] zeros = new double[5];
    double[] d = {1, 2, 3, 4, 5};
    assertEquals(0.0625, PairedTests.randomizationP(zeros, d, 200_000, 1), 0.003);
    // d = 1, -1, 2: |sum| >= 2 for 6 of 8 assignments
    assertEquals(0.75, PairedTests.randomizationP(new double[3], new double[] {1, -1, 2}, 200_000, 2), 0.005);
  }

  @Test
  void randomizationIsReproducibleFromItsSeed() {
    double p = PairedTests.randomizationP(A, B, 5000, 42);
    assertEquals(p, PairedTests.randomizationP(A, B, 5000, 42));
    assertEquals(p, PairedTests.randomizationP(B, A, 5000, 42)); // two-sided
    assertThrows(IllegalArgumentException.class, () -> PairedTests.randomizationP(A, B, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> PairedTests.tTestP(new double[] {1}, new double[] {2}));
  }

  @Test
  void comparesTwoEvaluationsOnTheirCommonQueries() {
    Qrels.Builder q = new Qrels.Builder();
    for (String qid : new String[] {"q1", "q2", "q3"}) {
      q.put(qid, "rel", 1);
    }
    Evaluator evaluator = new Evaluator(q.build(), 1);
    Measure rr = Measure.parse("recip_rank");
    // A: rel at ranks 1, 2 (q3 missing); B: rel at ranks 1, 1, 1
    EvalResult a = evaluator.evaluate(new Run.Builder("a")
        .add("q1", "rel", 2).add("q2", "x", 2).add("q2", "rel", 1).build(), rr);
    EvalResult b = evaluator.evaluate(new Run.Builder("b")
        .add("q1", "rel", 1).add("q2", "rel", 1).add("q3", "rel", 1).build(), rr);
    PairedComparison c = PairedTests.compare(a, b, rr, 1000, 3);
    assertEquals(2, c.queries());
    assertEquals(0.75, c.meanA(), 1e-12);
    assertEquals(1.0, c.meanB(), 1e-12);
    assertEquals(0.25, c.difference(), 1e-12);
    assertEquals(1000, c.trials());
    assertEquals(3, c.seed());
  }
}
