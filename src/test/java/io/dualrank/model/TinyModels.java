package io.dualrank.model;

/** Small random-init rankers for fast tests (MiniLM's vocabulary, 2 layers of width 32). */
public final class TinyModels {
  private TinyModels() {}

  public static final BertConfig ENCODER = BertConfig.of(30522, 32, 2, 2);

  public static RankerConfig crossEncoder() {
    return crossEncoder(Pooling.CLS);
  }

  public static RankerConfig crossEncoder(Pooling pooling) {
    return RankerConfig.crossEncoder(RankerConfig.RANDOM_INIT, "all-minilm-l6-v2", ENCODER, 16, 48, pooling);
  }

  public static RankerConfig dualEncoder(Pooling pooling, boolean shared, int projection, boolean normalize,
      float temperature, boolean learnTemperature) {
    return new RankerConfig(Architecture.DUAL_ENCODER, RankerConfig.RANDOM_INIT, "all-minilm-l6-v2", ENCODER, 16,
        48, pooling, shared, projection, normalize, temperature, learnTemperature);
  }
}
