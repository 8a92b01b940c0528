package io.dualrank.loss;

import ai.djl.ndarray.NDArray;

/**
 * Margin-MSE (Hofstätter et al. 2020, "Improving efficient neural ranking models with cross-architecture
 * knowledge distillation"): the student's margin between the positive and each negative should equal the
 * teacher's.
 *
 * <pre>  loss(q) = (1/|N|) Σ_{j ∈ N} ((t_0 − t_j) − (s_0 − s_j))²,   N = the query's valid negatives</pre>
 *
 * With one negative per query this is the paper's triplet loss. Invariant to adding a constant to all of a
 * query's student (or teacher) scores. A query with no valid negative contributes 0.
 */
public final class MarginMseLoss extends RankingLoss {
  public MarginMseLoss() {
    super("margin-mse");
  }

  @Override
  protected NDArray perQuery(CandidateScores scores) {
    NDArray teacherMargins = margins(scores.teacher());
    NDArray studentMargins = margins(scores.student());
    return scores.meanOverValidNegatives(teacherMargins.sub(studentMargins).square());
  }

  /** s_0 − s_j for each negative j, [B, n-1]. */
  static NDArray margins(NDArray perCandidate) {
    return CandidateScores.positive(perCandidate).expandDims(1).sub(CandidateScores.negatives(perCandidate));
  }
}
