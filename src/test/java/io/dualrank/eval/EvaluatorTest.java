package io.dualrank.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dualrank.data.Qrels;
import io.dualrank.data.Run;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
  static final Measure RR = Measure.parse("recip_rank");
  static final Measure P2 = Measure.parse("P_2");

  /** q1: relevant d1; q2: only non-relevant judgments; q3: judged, not in the run; q10 sorts before q2. */
  static Qrels qrels() {
    Qrels.Builder b = new Qrels.Builder();
    b.put("q2", "d1", 0);
    b.put("q1", "d1", 1);
    b.put("q3", "d1", 2);
    b.put("q10", "d2", 2);
    return b.build();
  }

  /** q4 has no judgments. Both q10 documents score 1.0: the tie puts d3 before d2 (docid descending). */
  static Run run() {
    return new Run.Builder("t")
        .add("q1", "d1", 2).add("q1", "d2", 1)
        .add("q2", "d1", 2)
        .add("q4", "d1", 2)
        .add("q10", "d2", 1.0).add("q10", "d3", 1.0)
        .build();
  }

  @Test
  void evaluatesTheQueriesWithJudgmentsAndRankings() {
    EvalResult r = new Evaluator(qrels(), 1).evaluate(run(), RR, P2);
    assertEquals(List.of("q1", "q10", "q2"), r.queryIds());
    assertEquals(Map.of("q1", 1.0, "q10", 0.5, "q2", 0.0), r.perQuery(RR));
    assertEquals(1.5 / 3, r.mean(RR), 1e-12);
    assertEquals((0.5 + 0.5 + 0) / 3, r.mean(P2), 1e-12);
    assertEquals(RR, r.primaryMeasure());
    assertEquals(0.5, r.primary(), 1e-12);
  }

  @Test
  void completeAveragingCountsMissingQueriesAsZero() {
    EvalResult r = new Evaluator(qrels(), 1, true).evaluate(run(), RR);
    assertEquals(List.of("q1", "q10", "q2", "q3"), r.queryIds());
    assertEquals(0.0, r.perQuery(RR).get("q3"));
    assertEquals(1.5 / 4, r.mean(RR), 1e-12);
  }

  @Test
  void relevanceLevelDecidesWhatIsRelevant() {
    EvalResult r = new Evaluator(qrels(), 2).evaluate(run(), RR);
    assertEquals(Map.of("q1", 0.0, "q10", 0.5, "q2", 0.0), r.perQuery(RR));
  }

  @Test
  void rejectsWhatTrecEvalRejects() {
    assertThrows(IllegalArgumentException.class, () -> new Evaluator(qrels(), 0));
    Run unrelated = new Run.Builder("t").add("q9", "d1", 1).build();
    assertThrows(IllegalArgumentException.class, () -> new Evaluator(qrels(), 1).evaluate(unrelated, RR));
    Run twice = new Run.Builder("t").add("q1", "d1", 1).add("q1", "d1", 2).build();
    assertThrows(IllegalArgumentException.class, () -> new Evaluator(qrels(), 1).evaluate(twice, RR));
    EvalResult r = new Evaluator(qrels(), 1).evaluate(run(), RR);
    assertThrows(IllegalArgumentException.class, () -> r.mean(P2));
  }
}
