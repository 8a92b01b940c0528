package io.dualrank.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dualrank.model.MatrixPrecision;

/**
 * The settings of one training run, saved in the model's provenance.
 *
 * @param steps optimiser updates in all
 * @param batchQueries query groups per step
 * @param negatives hard negatives per group (sampled from the candidates below {@code minGrade})
 * @param crossQueryNegatives further negatives per group: other training queries' relevant documents (one-hot
 *     loss only: a teacher has no scores for them); left out of the JSON form when 0, so the keys of stages
 *     trained before it existed stay valid
 * @param candidateDepth negatives come from each query's top-{@code candidateDepth} candidates
 * @param minGrade a document graded at least this is a positive
 * @param learningRate peak learning rate of AdamW
 * @param warmupFraction fraction of the steps with linearly rising learning rate (then linear decay to 0)
 * @param weightDecay AdamW's decoupled weight decay (not on biases and LayerNorm)
 * @param clipNorm the global gradient norm is clipped to this
 * @param seed seeds initialisation, sampling and dropout
 * @param loss a {@link io.dualrank.loss.RankingLosses} name: onehot, softmax-kl, mse, margin-mse, m3se
 * @param alpha weight of the one-hot loss mixed into a distillation loss (0 = pure distillation)
 * @param teacherTemperature τ_t of softmax distillation
 * @param studentTemperature τ_s of the softmax losses
 * @param inBatchNegatives DE with the one-hot loss: every other document of the batch is a negative too
 * @param evalEvery evaluate on the train sample and on test every this many steps (and at start and end)
 * @param evalQueries queries sampled per evaluation split
 * @param evalDepth candidates re-ranked per evaluated query
 * @param checkpointEvery write a resumable checkpoint every this many steps
 * @param precision the format of the encoders' matrix products in training steps (evaluation is float32);
 *     left out of the JSON form when float32, so the keys of stages trained before it existed stay valid
 * @param crossSegmentWarmup CA: for the first N steps the attention between the query and the document
 *     segments is damped by an additive bias {@code −CROSS_SEGMENT_BIAS · (1 − step / N)} on their attention
 *     scores ({@link #crossSegmentBiasAt}), so training starts from two segments encoded nearly apart (as a DE
 *     encodes them) and opens cross-attention gradually; evaluation and the saved model have full attention.
 *     0 (none) is left out of the JSON form
 * @param microBatchQueries how many of a step's query groups go through one forward and backward pass: the
 *     step's gradient is accumulated over the passes, each pass's loss (a mean over its groups) weighted by its
 *     share of the groups, so the update is the whole batch's up to float rounding and dropout's draws, while the
 *     activations held at once shrink with the pass (a CA at 256 word pieces needs about 2.6 times the memory of
 *     one at 160). 0 = the whole batch in one pass, left out of the JSON form. Not with in-batch negatives, where
 *     each group's loss depends on every document of the batch
 */
public record TrainSettings(int steps, int batchQueries, int negatives,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int crossQueryNegatives, int candidateDepth, int minGrade,
    float learningRate, float warmupFraction, float weightDecay, double clipNorm, long seed, String loss,
    double alpha, double teacherTemperature, double studentTemperature, boolean inBatchNegatives, int evalEvery,
    int evalQueries, int evalDepth, int checkpointEvery,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Float32.class) MatrixPrecision precision,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int crossSegmentWarmup,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) int microBatchQueries) {

  /** The bias at step 0 of a cross-segment warm-up: e^−10 ≈ 4.5e-5 of a token's attention weight. */
  public static final float CROSS_SEGMENT_BIAS = 10f;

  /** Settings with float32 matrix products. */
  public TrainSettings(int steps, int batchQueries, int negatives, int crossQueryNegatives, int candidateDepth,
      int minGrade, float learningRate, float warmupFraction, float weightDecay, double clipNorm, long seed,
      String loss, double alpha, double teacherTemperature, double studentTemperature, boolean inBatchNegatives,
      int evalEvery, int evalQueries, int evalDepth, int checkpointEvery) {
    this(steps, batchQueries, negatives, crossQueryNegatives, candidateDepth, minGrade, learningRate,
        warmupFraction, weightDecay, clipNorm, seed, loss, alpha, teacherTemperature, studentTemperature,
        inBatchNegatives, evalEvery, evalQueries, evalDepth, checkpointEvery, MatrixPrecision.FP32, 0, 0);
  }

  public TrainSettings {
    precision = precision == null ? MatrixPrecision.FP32 : precision;
    MatrixPrecision.requireTrainable(precision);
    if (steps < 1 || batchQueries < 1 || negatives < 1 || crossQueryNegatives < 0 || candidateDepth < 1
        || evalEvery < 1 || checkpointEvery < 1 || evalQueries < 1 || evalDepth < 1 || crossSegmentWarmup < 0) {
      throw new IllegalArgumentException("steps, batch, negatives, depths, eval and checkpoint intervals must be"
          + " positive, cross-query negatives and the cross-segment warm-up at least 0");
    }
    if (microBatchQueries < 0 || microBatchQueries > batchQueries) {
      throw new IllegalArgumentException("the micro-batch must be 0 (the whole batch) to the batch's " + batchQueries
          + " queries, got " + microBatchQueries);
    }
    if (inBatchNegatives && microBatchQueries > 0 && microBatchQueries < batchQueries) {
      throw new IllegalArgumentException("in-batch negatives need the whole batch in one pass (each query's loss"
          + " depends on every document of the batch): leave the micro-batch at 0");
    }
    if (!(learningRate > 0) || warmupFraction < 0 || warmupFraction > 1 || clipNorm <= 0 || alpha < 0 || alpha > 1) {
      throw new IllegalArgumentException("need learning rate > 0, 0 <= warmup <= 1, clip > 0, 0 <= alpha <= 1");
    }
  }

  /** These settings with matrix products in {@code p}. */
  public TrainSettings withPrecision(MatrixPrecision p) {
    return new TrainSettings(steps, batchQueries, negatives, crossQueryNegatives, candidateDepth, minGrade,
        learningRate, warmupFraction, weightDecay, clipNorm, seed, loss, alpha, teacherTemperature,
        studentTemperature, inBatchNegatives, evalEvery, evalQueries, evalDepth, checkpointEvery, p,
        crossSegmentWarmup, microBatchQueries);
  }

  /** These settings with a cross-segment warm-up of {@code n} steps. */
  public TrainSettings withCrossSegmentWarmup(int n) {
    return new TrainSettings(steps, batchQueries, negatives, crossQueryNegatives, candidateDepth, minGrade,
        learningRate, warmupFraction, weightDecay, clipNorm, seed, loss, alpha, teacherTemperature,
        studentTemperature, inBatchNegatives, evalEvery, evalQueries, evalDepth, checkpointEvery, precision, n,
        microBatchQueries);
  }

  /** These settings with forward and backward passes of {@code n} query groups each (0 = the whole batch). */
  public TrainSettings withMicroBatch(int n) {
    return new TrainSettings(steps, batchQueries, negatives, crossQueryNegatives, candidateDepth, minGrade,
        learningRate, warmupFraction, weightDecay, clipNorm, seed, loss, alpha, teacherTemperature,
        studentTemperature, inBatchNegatives, evalEvery, evalQueries, evalDepth, checkpointEvery, precision,
        crossSegmentWarmup, n);
  }

  /** The query groups of one forward and backward pass: {@code microBatchQueries}, or the batch when 0. */
  public int passQueries() {
    return microBatchQueries == 0 ? batchQueries : microBatchQueries;
  }

  /** The additive bias on cross-segment attention scores at {@code step}: 0 once the warm-up is over. */
  public float crossSegmentBiasAt(int step) {
    return step < crossSegmentWarmup ? -CROSS_SEGMENT_BIAS * (1 - (float) step / crossSegmentWarmup) : 0f;
  }

  /** Jackson's filter that leaves {@code precision} out when float32 ({@code equals} true = omit). */
  static final class Float32 {
    @Override
    public boolean equals(Object value) {
      return value == null || value == MatrixPrecision.FP32;
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }

  /** The warm-up length in steps. */
  public int warmupSteps() {
    return Math.round(warmupFraction * steps);
  }
}
