package io.dualrank.loss;

import java.util.List;

/**
 * Builds a {@link RankingLoss} from its command-line name and the {@code --alpha} mixing weight.
 *
 * <table>
 *   <caption>Names</caption>
 *   <tr><td>{@code onehot}</td><td>{@link SoftmaxCrossEntropyLoss}, temperature τ_s</td></tr>
 *   <tr><td>{@code softmax-kl}</td><td>{@link SoftmaxDistillationLoss}, temperatures τ_t, τ_s</td></tr>
 *   <tr><td>{@code mse}</td><td>{@link ScoreMseLoss}</td></tr>
 *   <tr><td>{@code margin-mse}</td><td>{@link MarginMseLoss}</td></tr>
 *   <tr><td>{@code m3se}</td><td>{@link MultiMarginMseLoss}</td></tr>
 * </table>
 *
 * With 0 &lt; α the distillation loss is mixed with the one-hot loss: α·onehot + (1−α)·loss
 * ({@link MixtureLoss}); α = 0 gives the distillation loss alone and α = 1 the one-hot loss alone. For
 * {@code onehot} itself α is irrelevant.
 */
public final class RankingLosses {
  /** The names {@link #create} accepts. */
  public static final List<String> NAMES = List.of("onehot", "softmax-kl", "mse", "margin-mse", "m3se");

  private RankingLosses() {}

  /** The named loss with temperatures 1, mixed with the one-hot loss by {@code alpha}. */
  public static RankingLoss create(String name, double alpha) {
    return create(name, alpha, 1.0, 1.0);
  }

  /**
   * The named loss mixed with the one-hot loss by {@code alpha}. {@code studentTemperature} divides the
   * student scores in both softmax losses (onehot, softmax-kl); {@code teacherTemperature} divides the teacher
   * scores in softmax-kl. The MSE-type losses compare raw scores and ignore both.
   */
  public static RankingLoss create(String name, double alpha, double teacherTemperature, double studentTemperature) {
    RankingLoss onehot = new SoftmaxCrossEntropyLoss(studentTemperature);
    RankingLoss loss = switch (name) {
      case "onehot" -> onehot;
      case "softmax-kl" -> new SoftmaxDistillationLoss(teacherTemperature, studentTemperature);
      case "mse" -> new ScoreMseLoss();
      case "margin-mse" -> new MarginMseLoss();
      case "m3se" -> new MultiMarginMseLoss();
      default -> throw new IllegalArgumentException("unknown loss '" + name + "'; expected one of " + NAMES);
    };
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must lie in [0, 1], got " + alpha);
    }
    if (loss == onehot || alpha == 0) {
      return loss;
    }
    return alpha == 1 ? onehot : new MixtureLoss(alpha, onehot, loss);
  }
}
