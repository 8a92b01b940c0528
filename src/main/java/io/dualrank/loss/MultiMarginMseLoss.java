package io.dualrank.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import io.dualrank.util.Tensors;

/**
 * M3SE, multi-margin MSE (Menon et al. 2022, "In defense of dual-encoders for neural ranking", ICML): match
 * the teacher's margin to its hardest negative, and keep every other negative below that one.
 *
 * <pre>
 *   j* = argmax_{j ∈ N} t_j       (the teacher's highest-scored valid negative; ties: lowest column)
 *   loss(q) = ((t_0 − t_j*) − (s_0 − s_j*))²  +  Σ_{j ∈ N, j ≠ j*} max(0, s_j − s_j*)²
 * </pre>
 *
 * N = the query's valid negatives. The second term is a plain sum over the negatives, <b>not</b> normalised by
 * |N|, as in the paper's definition; the first term is a single squared error per query (not broadcast over
 * j). The loss is 0 exactly when the student's margin to j* equals the teacher's and no other negative scores
 * above s_j*; it does not care how the other negatives are ordered below s_j*. The hinge is squared, so the
 * loss is continuously differentiable in the student scores. A query with no valid negative contributes 0.
 */
public final class MultiMarginMseLoss extends RankingLoss {
  public MultiMarginMseLoss() {
    super("m3se");
  }

  @Override
  protected NDArray perQuery(CandidateScores scores) {
    NDArray validNegatives = scores.validNegatives();
    NDArray teacherNegatives = CandidateScores.negatives(scores.teacher());
    NDArray studentNegatives = CandidateScores.negatives(scores.student());

    NDArray minusInf =
        constant(teacherNegatives, teacherNegatives.getShape(), teacherNegatives.getDataType(), Float.NEGATIVE_INFINITY);
    NDArray hardest = NDArrays.where(validNegatives, teacherNegatives, minusInf).argMax(1);
    long negativeCount = teacherNegatives.getShape().get(1);
    NDArray isHardest = teacherNegatives.getManager()
        .arange(0, (int) negativeCount, 1, DataType.INT64)
        .expandDims(0)
        .eq(hardest.toType(DataType.INT64, false).expandDims(1));

    NDArray studentHardest = pick(studentNegatives, isHardest);
    NDArray teacherHardest = pick(teacherNegatives, isHardest);
    NDArray marginError = CandidateScores.positive(scores.teacher()).sub(teacherHardest)
        .sub(CandidateScores.positive(scores.student()).sub(studentHardest))
        .square();
    // j = j* contributes max(0, 0)² = 0, so the sum may run over all valid negatives
    NDArray ordering = scores.sumOverValidNegatives(
        hinge(studentNegatives.sub(studentHardest.expandDims(1))).square());
    return NDArrays.where(scores.hasNegative(), marginError.add(ordering), marginError.zerosLike());
  }

  /** max(0, x), elementwise. */
  private static NDArray hinge(NDArray x) {
    return x.maximum(Tensors.scalar(x, 0));
  }

  /** The entry of each row where {@code selector} is true (exactly one per row), [B]. */
  private static NDArray pick(NDArray values, NDArray selector) {
    return NDArrays.where(selector, values, values.zerosLike()).sum(new int[] {1});
  }
}
