package io.dualrank.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A loss over a batch of B queries, each with a list of n candidate documents.
 *
 * <p><b>Input convention.</b>
 * <ul>
 *   <li>{@code studentScores} [B, n]: the scores of the model being trained (gradients flow into them).
 *   <li>{@code teacherScores} [B, n]: the teacher's scores of the same candidates, or {@code null} for a loss
 *       that needs none ({@link #needsTeacher()}). They are detached: a loss never trains the teacher.
 *   <li><b>Column 0 is the positive</b>; columns 1..n-1 are the negatives.
 *   <li>{@code mask} [B, n], optional (null = every candidate valid), boolean or numeric (non-zero = valid):
 *       which candidates exist. A masked candidate is ignored everywhere, as if absent from its list: it takes
 *       no part in any softmax, mean, sum or argmax, its scores may hold anything (padding, NaN), and its
 *       student score gets zero gradient. This is how ragged candidate lists and the dual encoder's in-batch
 *       negatives are passed. Column 0 must be valid in every row.
 * </ul>
 *
 * <p>{@link #compute} returns a scalar: the mean over the B queries of the per-query loss {@link #perQuery}.
 * Every query counts once, whatever its number of valid candidates.
 */
public abstract class RankingLoss {
  private final String name;

  protected RankingLoss(String name) {
    this.name = name;
  }

  /** Short name for logs and the factory ({@link RankingLosses}). */
  public String name() {
    return name;
  }

  /** Whether {@link #compute} needs teacher scores; false for losses that only use the positive label. */
  public boolean needsTeacher() {
    return true;
  }

  /** The mean over queries of the per-query loss; see the class doc for shapes, the mask and column 0. */
  public final NDArray compute(NDArray studentScores, NDArray teacherScores, NDArray mask) {
    return perQuery(CandidateScores.of(studentScores, teacherScores, mask, needsTeacher())).mean();
  }

  /** {@link #compute} with every candidate valid. */
  public final NDArray compute(NDArray studentScores, NDArray teacherScores) {
    return compute(studentScores, teacherScores, null);
  }

  /** The loss of each query, shape [B]. */
  protected abstract NDArray perQuery(CandidateScores scores);

  @Override
  public String toString() {
    return name;
  }

  /** A positive temperature, checked. */
  static double checkTemperature(double temperature, String what) {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException(what + " must be positive and finite, got " + temperature);
    }
    return temperature;
  }

  /** A constant of the given shape and type, on the manager of {@code like}. */
  static NDArray constant(NDArray like, Shape shape, DataType type, float value) {
    return like.getManager().full(shape, value, type, like.getDevice());
  }
}
