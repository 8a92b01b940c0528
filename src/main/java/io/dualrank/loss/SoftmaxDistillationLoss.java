package io.dualrank.loss;

import ai.djl.ndarray.NDArray;
import io.dualrank.util.Tensors;

/**
 * Softmax distillation: the KL divergence from the teacher's softmax distribution over the candidates to the
 * student's (Hinton et al. 2015, "Distilling the knowledge in a neural network").
 *
 * <pre>
 *   p = softmax(t/τ_t),  q = softmax(s/τ_s)   over the query's valid candidates
 *   loss(q) = KL(p ‖ q) = Σ_j p_j (log p_j − log q_j) = CE(p, q) − H(p)
 * </pre>
 *
 * We report KL rather than the cross-entropy CE(p, q) = −Σ_j p_j log q_j: the two differ by the teacher's
 * entropy H(p), a constant for the student, so their gradients are identical, but KL is 0 exactly when the
 * student reproduces the teacher's distribution, which makes logged values comparable across batches whose
 * teacher distributions are more or less peaked. No τ² rescaling is applied.
 *
 * <p>Inputs: student and teacher scores. τ_t and τ_s default to 1.
 */
public final class SoftmaxDistillationLoss extends RankingLoss {
  private final double teacherTemperature;
  private final double studentTemperature;

  public SoftmaxDistillationLoss() {
    this(1.0, 1.0);
  }

  public SoftmaxDistillationLoss(double teacherTemperature, double studentTemperature) {
    super("softmax-kl");
    this.teacherTemperature = checkTemperature(teacherTemperature, "teacher temperature");
    this.studentTemperature = checkTemperature(studentTemperature, "student temperature");
  }

  @Override
  protected NDArray perQuery(CandidateScores scores) {
    NDArray logP = scores.logSoftmax(scores.teacher().div(Tensors.scalar(scores.teacher(), teacherTemperature)));
    NDArray logQ = scores.logSoftmax(scores.student().div(Tensors.scalar(scores.student(), studentTemperature)));
    // masked entries: p = exp(0) = 1 but log p − log q = 0 − 0, so they add nothing
    return logP.exp().mul(logP.sub(logQ)).sum(new int[] {1});
  }
}
