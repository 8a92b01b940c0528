package io.dualrank.loss;

import ai.djl.ndarray.NDArray;

/**
 * Pointwise score regression: the student's scores should equal the teacher's.
 *
 * <pre>  loss(q) = (1/|valid|) Σ_{j valid} (s_j − t_j)²</pre>
 *
 * Inputs: student and teacher scores (the positive counts like any other candidate). Not invariant to a
 * per-query shift of the scores, unlike {@link MarginMseLoss}.
 */
public final class ScoreMseLoss extends RankingLoss {
  public ScoreMseLoss() {
    super("mse");
  }

  @Override
  protected NDArray perQuery(CandidateScores scores) {
    return scores.meanOverValid(scores.student().sub(scores.teacher()).square());
  }
}
