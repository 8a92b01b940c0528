package io.dualrank.train;

/**
 * Linear warm-up then linear decay: {@code lr(t) = peak · (t+1)/warmup} for t &lt; warmup, then
 * {@code peak · (total − t)/(total − warmup)}, never below 0 (t is the 0-based step).
 */
public record LearningRateSchedule(float peak, int warmupSteps, int totalSteps) {
  public LearningRateSchedule {
    if (peak <= 0 || warmupSteps < 0 || totalSteps <= 0 || warmupSteps > totalSteps) {
      throw new IllegalArgumentException("need peak > 0 and 0 <= warmup <= total steps, got peak=" + peak
          + " warmup=" + warmupSteps + " total=" + totalSteps);
    }
  }

  /** The learning rate used at step {@code t}. */
  public float at(int t) {
    if (t < warmupSteps) {
      return peak * (t + 1) / warmupSteps;
    }
    int decaySteps = totalSteps - warmupSteps;
    return decaySteps == 0 ? peak : Math.max(0f, peak * (totalSteps - t) / decaySteps);
  }
}
