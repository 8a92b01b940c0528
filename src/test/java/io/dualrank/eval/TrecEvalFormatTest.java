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

  /**
   * As trec_eval prints: measures in its order whatever the order asked (its measures.c), counts with %ld,
   * num_q and gm_map only in the all lines, runid as the run's tag. Before, these measures did not exist.
   */
  @Test
  void printsCountsAsIntegersInTrecEvalsOrder() {
    List<Measure> asked = Measure.parseAll(List.of("P.2", "gm_map", "num_rel", "runid", "num_q", "Rprec"));
    EvalResult r = new Evaluator(EvaluatorTest.qrels(), 1).evaluate(EvaluatorTest.run(), asked);
    // q1: d1 relevant at rank 1 (R = 1); q10: d2 relevant at rank 2 (R = 1); q2: nothing relevant
    assertEquals(List.of(
        "num_rel               \tq1\t1",
        "Rprec                 \tq1\t1.0000",
        "P_2                   \tq1\t0.5000",
        "num_rel               \tq10\t1",
        "Rprec                 \tq10\t0.0000",
        "P_2                   \tq10\t0.5000",
        "num_rel               \tq2\t0",
        "Rprec                 \tq2\t0.0000",
        "P_2                   \tq2\t0.0000",
        "runid                 \tall\tt",
        "num_q                 \tall\t3",
        "num_rel               \tall\t2",
        "gm_map                \tall\t0.0171", // exp((log 1 + log 0.5 + log 0.00001) / 3) = 0.017100
        "Rprec                 \tall\t0.3333",
        "P_2                   \tall\t0.3333"), TrecEvalFormat.lines(r, true));
  }
}
