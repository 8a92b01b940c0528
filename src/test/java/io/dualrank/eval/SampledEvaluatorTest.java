package io.dualrank.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.data.Qrels;
import io.dualrank.data.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampledEvaluatorTest {
  /** q0..q99 with a relevant document "d" (grade 2); n0..n9 with only a grade-1 one. */
  static Qrels qrels() {
    Qrels.Builder b = new Qrels.Builder();
    for (int i = 0; i < 100; i++) {
      b.put("q" + i, "d", 2);
    }
    for (int i = 0; i < 10; i++) {
      b.put("n" + i, "d", 1);
    }
    return b.build();
  }

  static final List<Measure> MEASURES = Measure.parseAll(List.of("mrr@10", "ndcg@10"));

  @Test
  void drawsAFixedSampleOfQueriesWithRelevantDocuments() {
    SampledEvaluator e = new SampledEvaluator(qrels(), 2, MEASURES, 20, 7);
    assertEquals(20, e.queryIds().size());
    assertTrue(e.queryIds().stream().allMatch(q -> q.startsWith("q")));
    assertEquals(e.queryIds().stream().sorted().toList(), e.queryIds());
    assertEquals(e.queryIds(), new SampledEvaluator(qrels(), 2, MEASURES, 20, 7).queryIds());
    assertNotEquals(e.queryIds(), new SampledEvaluator(qrels(), 2, MEASURES, 20, 8).queryIds());
    assertEquals(110, new SampledEvaluator(qrels(), 1, MEASURES, 500, 7).queryIds().size());
  }

  @Test
  void evaluatesOverTheWholeSampleWithThePrimaryMeasureFirst() {
    SampledEvaluator e = new SampledEvaluator(qrels(), 2, MEASURES, 10, 1);
    Run.Builder run = new Run.Builder("model");
    List<String> sample = e.queryIds();
    // the first 5 sampled queries: d at rank 2; the other 5 are missing from the run and score 0
    for (String q : sample.subList(0, 5)) {
      run.add(q, "x", 2).add(q, "d", 1);
    }
    run.add("q-not-sampled", "d", 1);
    EvalResult r = e.evaluate(run.build());
    assertEquals(sample, r.queryIds());
    assertEquals(Measure.parse("recip_rank_cut_10"), e.primaryMeasure());
    assertEquals(0.25, r.primary(), 1e-12);
    assertEquals(5 * (1 / (Math.log(3) / Math.log(2))) / 10, r.mean(Measure.parse("ndcg_cut_10")), 1e-12);
  }
}
