package io.dualrank.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RankAgreementTest {
  @Test
  void kendallTauCountsConcordantAndDiscordantPairs() {
    // x = (1,2,3,4), y = (1,3,2,4): of the 6 pairs only (2,3) is discordant: (5 - 1)/6 = 2/3
    assertEquals(2.0 / 3, RankAgreement.kendallTauB(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}), 1e-12);
    assertEquals(-1, RankAgreement.kendallTauB(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-12);
  }

  @Test
  void kendallTauBCorrectsForTies() {
    // x = (1,2,2,3), y = (1,2,3,3); pairs (i,j):
    //   (1,2) C  (1,3) C  (1,4) C  (2,3) tied in x  (2,4) C  (3,4) tied in y
    // C = 4, D = 0, P = 6, T_x = 1, T_y = 1: tau-b = 4 / sqrt((6-1)(6-1)) = 0.8 (tau-a would be 4/6)
    assertEquals(0.8, RankAgreement.kendallTauB(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 3}), 1e-12);
  }

  @Test
  void aConstantScorerHasTauZero() {
    assertEquals(0, RankAgreement.kendallTauB(new double[] {5, 5, 5}, new double[] {1, 2, 3}), 0);
    assertThrows(IllegalArgumentException.class, () -> RankAgreement.kendallTauB(new double[] {1}, new double[] {1}));
  }

  @Test
  void reciprocalRankCountsTiesAgainstTheRelevantCandidate() {
    // candidate 0 scores 0.5; 0.9 and the tied 0.5 go ahead of it: rank 3
    double[] scores = {0.5, 0.9, 0.5, 0.1};
    assertEquals(1.0 / 3, RankAgreement.reciprocalRank(scores, 0, 10), 1e-12);
    assertEquals(0, RankAgreement.reciprocalRank(scores, 0, 2), 0);
    assertEquals(1, RankAgreement.reciprocalRank(scores, 1, 10), 0);
    assertEquals(0.25, RankAgreement.reciprocalRank(new double[] {7, 7, 7, 7}, 0, 10), 0);
  }
}
