package io.dualrank.loss;

import ai.djl.ndarray.NDArray;
import io.dualrank.util.Tensors;

/**
 * A convex mixture of a label loss and a distillation loss, as in Hinton et al. 2015:
 *
 * <pre>  loss(q) = α · label(q) + (1 − α) · distillation(q),   0 ≤ α ≤ 1</pre>
 *
 * Typically the label loss is {@link SoftmaxCrossEntropyLoss} (one-hot on column 0) and the distillation loss
 * any teacher-based loss. Both see the same scores and mask.
 */
public final class MixtureLoss extends RankingLoss {
  private final double alpha;
  private final RankingLoss label;
  private final RankingLoss distillation;

  public MixtureLoss(double alpha, RankingLoss label, RankingLoss distillation) {
    super(String.format(java.util.Locale.ROOT, "%.3g*%s+%.3g*%s", alpha, label.name(), 1 - alpha, distillation.name()));
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must lie in [0, 1], got " + alpha);
    }
    this.alpha = alpha;
    this.label = label;
    this.distillation = distillation;
  }

  @Override
  public boolean needsTeacher() {
    return (alpha > 0 && label.needsTeacher()) || (alpha < 1 && distillation.needsTeacher());
  }

  @Override
  protected NDArray perQuery(CandidateScores scores) {
    if (alpha == 0) {
      return distillation.perQuery(scores);
    }
    if (alpha == 1) {
      return label.perQuery(scores);
    }
    NDArray l = label.perQuery(scores);
    NDArray d = distillation.perQuery(scores);
    return l.mul(Tensors.scalar(l, alpha)).add(d.mul(Tensors.scalar(d, 1 - alpha)));
  }
}
