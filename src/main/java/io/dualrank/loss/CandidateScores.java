package io.dualrank.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The validated inputs of a {@link RankingLoss} and the masked operations the losses share. Masked entries of
 * the student and teacher scores are replaced by 0 up front, so nothing downstream (not even a gradient) can
 * see a NaN or infinity that padding left there; every reduction below then also skips them explicitly.
 */
final class CandidateScores {
  private final NDArray student;
  private final NDArray teacher;
  private final NDArray valid;

  private CandidateScores(NDArray student, NDArray teacher, NDArray valid) {
    this.student = student;
    this.teacher = teacher;
    this.valid = valid;
  }

  static CandidateScores of(NDArray student, NDArray teacher, NDArray mask, boolean needsTeacher) {
    Shape shape = student.getShape();
    if (shape.dimension() != 2 || shape.get(1) < 1) {
      throw new IllegalArgumentException("student scores must be [B, n] with n >= 1, got " + shape);
    }
    if (!student.getDataType().isFloating()) {
      throw new IllegalArgumentException("student scores must be floating point, got " + student.getDataType());
    }
    if (needsTeacher && teacher == null) {
      throw new IllegalArgumentException("this loss needs teacher scores");
    }
    if (teacher != null && !teacher.getShape().equals(shape)) {
      throw new IllegalArgumentException("teacher scores " + teacher.getShape() + " do not match student " + shape);
    }
    if (mask != null && !mask.getShape().equals(shape)) {
      throw new IllegalArgumentException("mask " + mask.getShape() + " does not match scores " + shape);
    }
    NDArray valid;
    if (mask == null) {
      valid = student.getManager().ones(shape, DataType.BOOLEAN, student.getDevice());
    } else {
      valid = mask.getDataType() == DataType.BOOLEAN ? mask : mask.neq(0);
      if (!valid.get(":, 0").all().getBoolean()) {
        throw new IllegalArgumentException("column 0 (the positive) must be valid in every row");
      }
    }
    NDArray zeros = student.getManager().zeros(shape, student.getDataType(), student.getDevice());
    NDArray cleanTeacher =
        teacher == null ? null : NDArrays.where(valid, teacher.stopGradient().toType(student.getDataType(), false), zeros);
    return new CandidateScores(NDArrays.where(valid, student, zeros), cleanTeacher, valid);
  }

  /** Student scores [B, n], 0 where masked. */
  NDArray student() {
    return student;
  }

  /** Teacher scores [B, n] in the student's type, detached, 0 where masked; null when none were given. */
  NDArray teacher() {
    return teacher;
  }

  /** Which candidates are valid, boolean [B, n]. */
  NDArray valid() {
    return valid;
  }

  /** Column 0 of a [B, n] array: the positive's entries, [B]. */
  static NDArray positive(NDArray perCandidate) {
    return perCandidate.get(":, 0");
  }

  /** Columns 1..n-1 of a [B, n] array: the negatives' entries, [B, n-1]. */
  static NDArray negatives(NDArray perCandidate) {
    return perCandidate.get(":, 1:");
  }

  /** Which negatives are valid, boolean [B, n-1]. */
  NDArray validNegatives() {
    return negatives(valid);
  }

  /** Whether each query has at least one valid negative, boolean [B]. */
  NDArray hasNegative() {
    return validNegatives().toType(DataType.INT32, false).sum(new int[] {1}).gt(0);
  }

  /** log softmax over each row's valid candidates, [B, n]; 0 at masked candidates. */
  NDArray logSoftmax(NDArray logits) {
    NDArray minusInf = RankingLoss.constant(logits, logits.getShape(), logits.getDataType(), Float.NEGATIVE_INFINITY);
    return zeroWhereMasked(NDArrays.where(valid, logits, minusInf).logSoftmax(1), valid);
  }

  /** Mean over each row's valid candidates of a [B, n] array, [B]. */
  NDArray meanOverValid(NDArray perCandidate) {
    return meanWhere(perCandidate, valid);
  }

  /** Mean over each row's valid negatives of a [B, n-1] array, [B]; 0 for a query with no valid negative. */
  NDArray meanOverValidNegatives(NDArray perNegative) {
    return meanWhere(perNegative, validNegatives());
  }

  /** Sum over each row's valid negatives of a [B, n-1] array, [B]. */
  NDArray sumOverValidNegatives(NDArray perNegative) {
    return zeroWhereMasked(perNegative, validNegatives()).sum(new int[] {1});
  }

  private static NDArray meanWhere(NDArray values, NDArray where) {
    NDArray count = where.toType(values.getDataType(), false).sum(new int[] {1}).maximum(1);
    return zeroWhereMasked(values, where).sum(new int[] {1}).div(count);
  }

  private static NDArray zeroWhereMasked(NDArray values, NDArray where) {
    return NDArrays.where(where, values, values.zerosLike());
  }
}
