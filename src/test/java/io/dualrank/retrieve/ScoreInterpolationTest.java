package io.dualrank.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.data.Qrels;
import io.dualrank.data.Run;
import io.dualrank.eval.Evaluator;
import io.dualrank.eval.Measure;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreInterpolationTest {
  // query q: A ranks d1 > d2 > d3 on a logit scale, B ranks d3 > d2 > d1 on a cosine scale
  private static final Run A = new Run.Builder("a").add("q", "d1", 12).add("q", "d2", 10).add("q", "d3", 2).build();
  private static final Run B = new Run.Builder("b").add("q", "d1", 0.1).add("q", "d2", 0.2).add("q", "d3", 0.3)
      .build();

  @Test
  void scoresAreTheWeightedSumOfPerQueryStandardScores() {
    // A: mean 8, population sd sqrt((16 + 4 + 36) / 3) = sqrt(56 / 3); B: mean 0.2, sd sqrt(0.02 / 3)
    double sa = Math.sqrt(56.0 / 3);
    double sb = Math.sqrt(0.02 / 3);
    Run fused = ScoreInterpolation.interpolate(A, B, 0.25, "f");
    double d1 = 0.75 * (4 / sa) + 0.25 * (-0.1 / sb);
    double d2 = 0.75 * (2 / sa) + 0.25 * (0 / sb);
    double d3 = 0.75 * (-6 / sa) + 0.25 * (0.1 / sb);
    assertEquals(List.of("d1", "d2", "d3"), fused.ranking("q").stream().map(d -> d.docId()).toList());
    assertEquals(d1, fused.ranking("q").get(0).score(), 1e-12);
    assertEquals(d2, fused.ranking("q").get(1).score(), 1e-12);
    assertEquals(d3, fused.ranking("q").get(2).score(), 1e-12);
    assertEquals("f", fused.tag());
    assertEquals(List.of("d3", "d2", "d1"),
        ScoreInterpolation.interpolate(A, B, 1, "f").ranking("q").stream().map(d -> d.docId()).toList());
  }

  @Test
  void theSweepChoosesTheWeightThatPutsTheRelevantDocumentFirst() {
    // d2 is relevant: A puts it 2nd, B 2nd; z_A = (0.926, 0.463, -1.389), z_B = (-1.225, 0, 1.225): d2 leads
    // where 0.463 (1 - w) > max(0.926 (1 - w) - 1.225 w, -1.389 (1 - w) + 1.225 w), i.e. 0.274 < w < 0.602
    Qrels.Builder judged = new Qrels.Builder();
    judged.put("q", "d2", 1);
    Qrels qrels = judged.build();
    Measure rr = Measure.parse("recip_rank");
    var points = ScoreInterpolation.sweep(A, B, 10, new Evaluator(qrels, 1), rr);
    assertEquals(11, points.size());
    for (var p : points) {
      boolean first = p.weight() > 0.274 && p.weight() < 0.602;
      assertEquals(first ? 1.0 : 0.5, p.value(), 1e-12, "w = " + p.weight());
    }
    assertEquals(0.3, ScoreInterpolation.best(points).weight(), 1e-12, "the smallest weight of the best");
  }

  @Test
  void runsOfOtherCandidatesAreRefusedNamingTheQuery() {
    Run other = new Run.Builder("c").add("q", "d1", 1).add("q", "d9", 2).add("q", "d3", 3).build();
    var e = assertThrows(IllegalArgumentException.class, () -> ScoreInterpolation.interpolate(A, other, 0.5, "f"));
    assertTrue(e.getMessage().startsWith("query q: the runs must rank the same documents"), e.getMessage());
    Run more = new Run.Builder("c").add("q", "d1", 1).add("q2", "d1", 1).build();
    e = assertThrows(IllegalArgumentException.class, () -> ScoreInterpolation.interpolate(A, more, 0.5, "f"));
    assertTrue(e.getMessage().contains("only in the second: [q2]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ScoreInterpolation.interpolate(A, B, 1.5, "f"));
  }

  @Test
  void equalScoresStandardiseToZero() {
    Run flat = new Run.Builder("c").add("q", "d1", 5).add("q", "d2", 5).add("q", "d3", 5).build();
    Run fused = ScoreInterpolation.interpolate(flat, A, 0.5, "f");
    assertEquals(0.5 * 4 / Math.sqrt(56.0 / 3), fused.ranking("q").get(0).score(), 1e-12);
  }
}
