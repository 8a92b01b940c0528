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
}
