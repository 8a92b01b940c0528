package io.dualrank.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CandidateScoreMatrixTest {
  private static final float[][] SCORES = {{0.1f, 0.9f, 0.3f, 0.9f}, {5, 4, 3, Float.NaN}};
  private static final boolean[][] CANDIDATES = {{true, true, true, true}, {false, true, true, false}};

  @Test
  void candidateListsPutTheTeachersTopCandidateFirst() {
    CandidateScoreMatrix s = CandidateScoreMatrix.of(SCORES, CANDIDATES);
    // documents 1 and 3 tie at 0.9: the lower index wins, the rest follow in document order
    assertArrayEquals(new int[] {1, 0, 2, 3}, s.candidateList(0));
    // document 0 (score 5) is not a candidate; the NaN is never read
    assertArrayEquals(new int[] {1, 2}, s.candidateList(1));
  }

  @Test
  void zeroFilledKeepsOnlyCandidateScores() {
    double[][] filled = CandidateScoreMatrix.of(SCORES, CANDIDATES).zeroFilled();
    assertArrayEquals(new double[] {0, 4, 3, 0}, filled[1]);
  }

  @Test
  void rejectsQueriesWithoutCandidatesAndNonFiniteCandidateScores() {
    assertThrows(IllegalArgumentException.class,
        () -> CandidateScoreMatrix.of(SCORES, new boolean[][] {{true, true, true, true}, {false, false, false, false}}));
    assertThrows(IllegalArgumentException.class,
        () -> CandidateScoreMatrix.of(SCORES, new boolean[][] {{true, true, true, true}, {true, true, true, true}}));
  }
}
