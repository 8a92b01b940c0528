package io.dualrank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * The activation of a CA's pooler, {@code score = w · act(W h_[CLS] + c) + b}: the one thing in which the
 * classification heads of transformers' BERT-likes differ (see {@link RankerConfig#poolerActivation}).
 */
public enum PoolerActivation {
  /** {@code BertForSequenceClassification}: {@code bert.pooler.dense}, tanh, {@code classifier}. */
  TANH,
  /** {@code DistilBertForSequenceClassification}: {@code pre_classifier}, ReLU, {@code classifier}. */
  RELU,
  /**
   * {@code ElectraForSequenceClassification}: {@code classifier.dense}, exact gelu (transformers'
   * {@code get_activation("gelu")}), {@code classifier.out_proj}.
   */
  GELU;

  /** This activation of {@code x}, elementwise. */
  NDArray apply(NDArray x) {
    return switch (this) {
      case TANH -> x.tanh();
      case RELU -> Activation.relu(x);
      case GELU -> Activation.gelu(x);
    };
  }

  /** Jackson's filter that leaves the default, {@link #TANH}, out of a config's JSON. */
  static final class TanhFilter {
    @Override
    public boolean equals(Object value) {
      return value == null || value == TANH;
    }

    @Override
    public int hashCode() {
      return TANH.hashCode();
    }
  }
}
