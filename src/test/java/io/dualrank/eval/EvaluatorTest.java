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
    assertThrows(IllegalArgumentException.class, () -> new Evaluator(qrels(), -1));
    Run unrelated = new Run.Builder("t").add("q9", "d1", 1).build();
    assertThrows(IllegalArgumentException.class, () -> new Evaluator(qrels(), 1).evaluate(unrelated, RR));
    Run twice = new Run.Builder("t").add("q1", "d1", 1).add("q1", "d1", 2).build();
    assertThrows(IllegalArgumentException.class, () -> new Evaluator(qrels(), 1).evaluate(twice, RR));
    EvalResult r = new Evaluator(qrels(), 1).evaluate(run(), RR);
    assertThrows(IllegalArgumentException.class, () -> r.mean(P2));
  }

  /** trec_eval -l 0: every judged document is relevant, e.g. q2's d1 (grade 0); before, level 0 was refused. */
  @Test
  void levelZeroCountsJudgedNonRelevantDocumentsAsRelevant() {
    EvalResult r = new Evaluator(qrels(), 0).evaluate(run(), RR, Count.NUM_REL);
    assertEquals(Map.of("q1", 1.0, "q10", 0.5, "q2", 1.0), r.perQuery(RR));
    assertEquals(3, r.summary(Count.NUM_REL)); // one judgment each in q1, q10, q2
  }

  /**
   * The all figures: counts are sums (num_q is the number of evaluated queries), gm_map a geometric mean
   * with trec_eval's 0.00001 floor. With -c, the judged query the run lacks (q3) counts in num_q and
   * num_rel, as trec_eval 10.0's placeholder ranking makes it.
   */
  @Test
  void summariesAreTrecEvals() {
    Measure gm = new GeometricMeanAveragePrecision();
    List<Measure> ms = List.of(Count.NUM_Q, Count.NUM_RET, Count.NUM_REL, Count.NUM_REL_RET, gm);
    EvalResult r = new Evaluator(qrels(), 1).evaluate(run(), ms);
    assertEquals(3, r.summary(Count.NUM_Q));
    assertEquals(2 + 2 + 1, r.summary(Count.NUM_RET)); // q1, q10, q2
    assertEquals(1 + 1 + 0, r.summary(Count.NUM_REL));
    assertEquals(1 + 1 + 0, r.summary(Count.NUM_REL_RET));
    // APs 1 (q1), 0.5 (q10: d2 at rank 2), 0 (q2, floored to 0.00001)
    assertEquals(Math.exp((Math.log(1) + Math.log(0.5) + Math.log(0.00001)) / 3), r.summary(gm), 1e-15);
    assertEquals(0.5, r.mean(gm), 1e-15);
    EvalResult complete = new Evaluator(qrels(), 1, true).evaluate(run(), ms);
    assertEquals(4, complete.summary(Count.NUM_Q));
    assertEquals(5, complete.summary(Count.NUM_RET));
    assertEquals(3, complete.summary(Count.NUM_REL)); // q3's d1 (grade 2) too
    assertEquals(2, complete.summary(Count.NUM_REL_RET));
    assertEquals("t", complete.runTag());
  }

  /** Query ids in strcmp (UTF-8 byte) order: U+FF21 before U+1F600, whose UTF-16 form sorts first. */
  @Test
  void queriesAreInUtf8ByteOrder() {
    Qrels.Builder b = new Qrels.Builder();
    b.put("\uD83D\uDE00", "d", 1);
    b.put("\uFF21", "d", 1);
    Run run = new Run.Builder("t").add("\uD83D\uDE00", "d", 1).add("\uFF21", "d", 1).build();
    assertEquals(List.of("\uFF21", "\uD83D\uDE00"), new Evaluator(b.build(), 1).evaluate(run, RR).queryIds());
  }
}
