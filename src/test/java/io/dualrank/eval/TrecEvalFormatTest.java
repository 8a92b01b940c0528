package io.dualrank.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrecEvalFormatTest {
  @Test
  void roundsTheBinaryValueLikeCPrintf() {
    assertEquals("0.0001", TrecEvalFormat.value(0.00015)); // 1.4999999999999999e-4; String.format says 0.0002
    assertEquals("0.0312", TrecEvalFormat.value(0.03125)); // exact tie, to even; String.format says 0.0313
    assertEquals("0.1235", TrecEvalFormat.value(0.12345));
    assertEquals("1.0000", TrecEvalFormat.value(1));
    assertEquals("-2.5000", TrecEvalFormat.value(-2.5));
    assertEquals("Infinity", TrecEvalFormat.value(Double.POSITIVE_INFINITY));
  }

  @Test
  void printsTrecEvalLines() {
    EvalResult r = new Evaluator(EvaluatorTest.qrels(), 1).evaluate(EvaluatorTest.run(), EvaluatorTest.RR);
    assertEquals(List.of(
        "recip_rank            \tq1\t1.0000",
        "recip_rank            \tq10\t0.5000",
        "recip_rank            \tq2\t0.0000",
        "recip_rank            \tall\t0.5000"), TrecEvalFormat.lines(r, true));
    assertEquals(List.of("recip_rank            \tall\t0.5000"), TrecEvalFormat.lines(r, false));
  }
}
