package io.dualrank.cli;

import io.dualrank.model.Architecture;
import io.dualrank.model.BertConfig;
import io.dualrank.model.Pooling;
import io.dualrank.model.PretrainedEncoder;
import io.dualrank.model.RankerConfig;
import picocli.CommandLine.Option;

/** The options that define a new ranker's architecture. */
final class ModelOptions {
  @Option(names = "--model", required = true, paramLabel = "ca|de",
      description = "ca: cross-attention ranker; de: dual encoder.")
  String model;

  @Option(names = "--init", defaultValue = "all-minilm-l6-v2", paramLabel = "ENCODER",
      description = "Encoder weights: all-minilm-l6-v2, bge-small-en-v15, e5-small-v2, or random. Default: ${DEFAULT-VALUE}.")
  String init;

  @Option(names = "--random-shape", paramLabel = "LAYERSxHIDDENxHEADS", defaultValue = "2x64x2",
      description = "Encoder shape with --init random (MiniLM's vocabulary). Default: ${DEFAULT-VALUE}.")
  String randomShape;

  @Option(names = "--max-query-length", defaultValue = "32", description = "Word pieces of a query. Default: ${DEFAULT-VALUE}.")
  int maxQueryLength;

  @Option(names = "--max-length", defaultValue = "160",
      description = "Word pieces of a CA's query-document pair, or of a DE's document. Default: ${DEFAULT-VALUE}.")
  int maxLength;

  @Option(names = "--pooling", defaultValue = "mean", description = "DE pooling: mean or cls. Default: ${DEFAULT-VALUE}.")
  String pooling;

  @Option(names = "--separate-towers", description = "DE: separate query and document encoders (default: shared).")
  boolean separateTowers;

  @Option(names = "--dim", defaultValue = "0",
      description = "DE embedding dimension k: a linear projection after pooling; 0 for none (k = hidden size).")
  int projection;

  @Option(names = "--normalize", description = "DE: L2-normalise embeddings (score = cosine / temperature).")
  boolean normalize;

  @Option(names = "--temperature", defaultValue = "1",
      description = "DE: temperature dividing the inner product (initial value when learned). Default: ${DEFAULT-VALUE}.")
  float temperature;

  @Option(names = "--learn-temperature", description = "DE: learn the temperature.")
  boolean learnTemperature;

  RankerConfig config() {
    String tokenizer = RankerConfig.RANDOM_INIT.equals(init) ? PretrainedEncoder.ALL_MINILM_L6_V2.id() : init;
    BertConfig encoder = RankerConfig.RANDOM_INIT.equals(init) ? randomEncoder()
        : PretrainedEncoder.byId(init).config();
    return switch (model) {
      case "ca" -> RankerConfig.crossEncoder(init, tokenizer, encoder, maxQueryLength, maxLength);
      case "de" -> new RankerConfig(Architecture.DUAL_ENCODER, init, tokenizer, encoder, maxQueryLength, maxLength,
          Pooling.valueOf(pooling.toUpperCase(java.util.Locale.ROOT)), !separateTowers, projection, normalize,
          temperature, learnTemperature);
      default -> throw new IllegalArgumentException("--model must be ca or de, got " + model);
    };
  }

  private BertConfig randomEncoder() {
    String[] p = randomShape.split("x");
    if (p.length != 3) {
      throw new IllegalArgumentException("--random-shape must be LAYERSxHIDDENxHEADS, e.g. 2x64x2; got " + randomShape);
    }
    int vocab = PretrainedEncoder.ALL_MINILM_L6_V2.config().vocabSize();
    return BertConfig.of(vocab, Integer.parseInt(p[1]), Integer.parseInt(p[0]), Integer.parseInt(p[2]));
  }
}
