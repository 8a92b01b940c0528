package io.dualrank.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dualrank.data.ScoredDoc;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each measure on one hand-worked query. */
class MeasuresTest {
  /** Ranks 1..6: grades 0, 2, unjudged, 1, 3, 0. Not retrieved: h (2), i (0). */
  static final List<ScoredDoc> RANKING = List.of(new ScoredDoc("a", 6), new ScoredDoc("b", 5),
      new ScoredDoc("c", 4), new ScoredDoc("d", 3), new ScoredDoc("e", 2), new ScoredDoc("f", 1));
  static final Map<String, Integer> JUDGMENTS = Map.of("a", 0, "b", 2, "d", 1, "e", 3, "f", 0, "h", 2, "i", 0);

  static final JudgedRanking LEVEL_1 = JudgedRanking.of(RANKING, JUDGMENTS, 1);
  static final JudgedRanking LEVEL_2 = JudgedRanking.of(RANKING, JUDGMENTS, 2);

  @Test
  void judgedRanking() {
    assertEquals(4, LEVEL_1.numRelevant()); // b, d, e, h
    assertEquals(3, LEVEL_2.numRelevant()); // b, e, h
    assertEquals(3, LEVEL_1.relevantInTop(100));
    assertArrayEquals(new int[] {3, 2, 2, 1}, LEVEL_2.idealGrades());
    assertThrows(IllegalArgumentException.class,
        () -> JudgedRanking.of(List.of(new ScoredDoc("a", 2), new ScoredDoc("a", 1)), JUDGMENTS, 1));
  }

  @Test
  void precisionDividesByTheCutoffEvenPastTheRanking() {
    assertEquals(3 / 5.0, new Precision(5).compute(LEVEL_1), 1e-12);
    assertEquals(3 / 10.0, new Precision(10).compute(LEVEL_1), 1e-12);
    assertEquals(2 / 5.0, new Precision(5).compute(LEVEL_2), 1e-12);
    assertEquals(0, new Precision(1).compute(LEVEL_1));
  }

  @Test
  void recallCountsUnretrievedRelevantDocuments() {
    assertEquals(1 / 4.0, new Recall(3).compute(LEVEL_1), 1e-12);
    assertEquals(3 / 4.0, new Recall(100).compute(LEVEL_1), 1e-12);
    assertEquals(2 / 3.0, new Recall(5).compute(LEVEL_2), 1e-12);
  }

  @Test
  void reciprocalRank() {
    assertEquals(0.5, new ReciprocalRank(Measure.NO_CUTOFF).compute(LEVEL_1));
    assertEquals(0.5, new ReciprocalRank(2).compute(LEVEL_2));
    assertEquals(0, new ReciprocalRank(1).compute(LEVEL_1));
  }

  @Test
  void averagePrecisionDividesByAllRelevant() {
    assertEquals((1 / 2.0 + 2 / 4.0 + 3 / 5.0) / 4, new AveragePrecision(Measure.NO_CUTOFF).compute(LEVEL_1), 1e-12);
    assertEquals((1 / 2.0 + 2 / 5.0) / 3, new AveragePrecision(Measure.NO_CUTOFF).compute(LEVEL_2), 1e-12);
    assertEquals((1 / 2.0 + 2 / 4.0) / 4, new AveragePrecision(4).compute(LEVEL_1), 1e-12);
  }

  @Test
  void ndcgUsesRawGradesWhateverTheLevel() {
    // DCG@5 = 2/log2(3) + 1/log2(5) + 3/log2(6); ideal 3, 2, 2, 1: 3 + 2/log2(3) + 2/2 + 1/log2(5)
    assertEquals(0.5011991938625547, new Ndcg(5).compute(LEVEL_1), 1e-12);
    assertEquals(0.5011991938625547, new Ndcg(5).compute(LEVEL_2), 1e-12);
    assertEquals(0.5011991938625547, new Ndcg(Measure.NO_CUTOFF).compute(LEVEL_1), 1e-12);
    assertEquals(0.2960819109658652, new Ndcg(2).compute(LEVEL_1), 1e-12);
    assertEquals(0, new Ndcg(1).compute(LEVEL_1));
  }

  @Test
  void aQueryWithoutRelevantDocumentsScoresZero() {
    JudgedRanking none = JudgedRanking.of(RANKING, Map.of("a", 0, "b", 0), 1);
    for (String m : List.of("map", "recip_rank", "ndcg_cut_10", "P_5", "recall_5", "map_cut_5")) {
      assertEquals(0, Measure.parse(m).compute(none), m);
    }
    JudgedRanking belowLevel = JudgedRanking.of(RANKING, Map.of("b", 1), 2);
    assertEquals(0, new Recall(10).compute(belowLevel));
    assertEquals(0.6309297535714575, new Ndcg(10).compute(belowLevel), 1e-12); // 1/log2(3): b at rank 2, ideal 1
  }

  static final JudgedRanking LEVEL_0 = JudgedRanking.of(RANKING, JUDGMENTS, 0);

  @Test
  void levelZeroMakesEveryJudgedDocumentRelevantButNotTheUnjudgedOne() {
    // trec_eval -l 0: relevant = grade >= 0: a, b, d, e, f retrieved (c is unjudged), h, i not: R = 7
    assertEquals(7, LEVEL_0.numRelevant());
    assertEquals(5, LEVEL_0.relevantInTop(100));
    assertEquals(4 / 5.0, new Precision(5).compute(LEVEL_0), 1e-12); // a, b, (c), d, e
    assertEquals(1.0, new ReciprocalRank(Measure.NO_CUTOFF).compute(LEVEL_0));
    assertThrows(IllegalArgumentException.class, () -> JudgedRanking.of(RANKING, JUDGMENTS, -1));
  }

  @Test
  void countsOfTrecEval() {
    assertEquals(1, Count.NUM_Q.compute(LEVEL_1));
    assertEquals(6, Count.NUM_RET.compute(LEVEL_1));
    assertEquals(4, Count.NUM_REL.compute(LEVEL_1)); // b, d, e, h
    assertEquals(3, Count.NUM_REL.compute(LEVEL_2)); // b, e, h
    assertEquals(3, Count.NUM_REL_RET.compute(LEVEL_1)); // b, d, e
    assertEquals(2, Count.NUM_REL_RET.compute(LEVEL_2)); // b, e
  }

  @Test
  void rPrecisionLooksAtTheFirstRDocuments() {
    assertEquals(2 / 4.0, new RPrecision().compute(LEVEL_1), 1e-12); // R = 4: a, b, c, d hold b and d
    assertEquals(1 / 3.0, new RPrecision().compute(LEVEL_2), 1e-12); // R = 3: a, b, c hold b
    JudgedRanking short1 = JudgedRanking.of(RANKING.subList(0, 2), JUDGMENTS, 1);
    assertEquals(1 / 4.0, new RPrecision().compute(short1), 1e-12); // 2 retrieved < R: b of 4
    assertEquals(0, new RPrecision().compute(JudgedRanking.of(List.of(), JUDGMENTS, 1)));
  }

  @Test
  void bprefCountsJudgedNonRelevantDocumentsAboveEachRelevantOne() {
    // level 1: R = 4 (b, d, e, h), judged non-relevant N = 3 (a, f, i), min(N, R) = 3. a is above b, d and e
    // (c, unjudged, is skipped): each adds 1 - 1/3; h is not retrieved: (3 * 2/3) / 4 = 0.5
    assertEquals(0.5, new Bpref().compute(LEVEL_1), 1e-12);
    // level 2: R = 3 (b, e, h), N = 4 (a, d, f, i: grades 0 and 1), min = 3. b has a above: 1 - 1/3; e has
    // a and d above: 1 - 2/3. (2/3 + 1/3) / 3
    assertEquals(1 / 3.0, new Bpref().compute(LEVEL_2), 1e-12);
    // level 0: no judged document is non-relevant, each of the 5 retrieved relevant adds 1, R = 7
    assertEquals(5 / 7.0, new Bpref().compute(LEVEL_0), 1e-12);
    assertEquals(0, new Bpref().compute(JudgedRanking.of(RANKING, Map.of("a", 0), 1)));
  }

  @Test
  void interpolatedPrecisionTakesTheBestPrecisionAtOrBelowTheRecallLevel() {
    // level 2: relevant b (rank 2), e (rank 5) of R = 3. Precision after e: 2/5 = 0.4, after b: 1/2; at the
    // end 2/6. The level's rank holds c = (long) (x * 3 + 0.9) relevant documents.
    assertEquals(0.5, new InterpolatedPrecision(0.0).compute(LEVEL_2), 1e-12); // c = 0: best anywhere
    assertEquals(0.5, new InterpolatedPrecision(0.3).compute(LEVEL_2), 1e-12); // c = 1 (b): max(1/2, 2/5, 2/6)
    assertEquals(0.4, new InterpolatedPrecision(0.5).compute(LEVEL_2), 1e-12); // c = 2 (e): max(2/5, 2/6)
    // 0.7 * 3 + 0.9 is 2.9999999999999996 in binary, so c = 2 as in C, not 3
    assertEquals(0.4, new InterpolatedPrecision(0.7).compute(LEVEL_2), 1e-12);
    assertEquals(0, new InterpolatedPrecision(0.8).compute(LEVEL_2)); // c = 3 > 2 retrieved
    assertEquals(0, new InterpolatedPrecision(0.0).compute(JudgedRanking.of(List.of(), JUDGMENTS, 2)));
    assertEquals("iprec_at_recall_0.10", new InterpolatedPrecision(0.1).name());
  }
}
