package io.dualrank.train;

/**
 * The loss or the gradients of a training step became NaN or infinite (a learning rate or inputs far too
 * large): the step is not applied and nothing after the last checkpoint is saved. The message says which
 * step, which value and what to try.
 */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TrainingDivergedException(String message) {
    super(message);
  }
}
