package io.dualrank.loss;

import ai.djl.ndarray.NDArray;
import io.dualrank.util.Tensors;

/**
 * One-hot softmax cross-entropy: the positive (column 0) against the query's other valid candidates.
 *
 * <pre>  loss(q) = −log softmax(s/τ)_0 = −s_0/τ + log Σ_{j valid} exp(s_j/τ)</pre>
 *
 * Inputs: student scores only (teacher scores are ignored and may be null). τ (default 1) is the student
 * temperature, e.g. 0.05 for cosine-similarity dual encoders. With in-batch negatives this is the
 * "multiple negatives ranking" / InfoNCE loss (Henderson et al. 2017, "Efficient natural language response
 * suggestion for smart reply"; van den Oord et al. 2018, "Representation learning with contrastive predictive
 * coding").
 */
public final class SoftmaxCrossEntropyLoss extends RankingLoss {
  private final double temperature;

  public SoftmaxCrossEntropyLoss() {
    this(1.0);
  }

  public SoftmaxCrossEntropyLoss(double temperature) {
    super("onehot");
    this.temperature = checkTemperature(temperature, "temperature");
  }

  @Override
  public boolean needsTeacher() {
    return false;
  }

  @Override
  protected NDArray perQuery(CandidateScores scores) {
    return CandidateScores.positive(scores.logSoftmax(scores.student().div(Tensors.scalar(scores.student(), temperature)))).neg();
  }
}
