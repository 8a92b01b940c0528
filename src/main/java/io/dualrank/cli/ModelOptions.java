package io.dualrank.cli;

import io.dualrank.model.EncoderSpec;
import io.dualrank.model.Pooling;
import io.dualrank.model.RankerConfig;
import picocli.CommandLine.Option;

/** The options that define a new ranker's architecture. */
final class ModelOptions {
  @Option(names = "--model", required = true, paramLabel = "ca|de",
      description = "ca: cross-attention ranker; de: dual encoder.")
  String model;

  @Option(names = "--init", defaultValue = "all-minilm-l6-v2", paramLabel = "ENCODER",
      description = {"Encoder: all-minilm-l6-v2, bge-small-en-v15, e5-small-v2 (pre-trained weights), a local",
        "Hugging Face BERT directory (its body and tokenizer), or random:LAYERSxHIDDENxHEADS (random weights,",
        "MiniLM's vocabulary). Default: ${DEFAULT-VALUE}."})
  String init;

  @Option(names = "--max-query-length", defaultValue = "32", description = "Word pieces of a query. Default: ${DEFAULT-VALUE}.")
  int maxQueryLength;

  @Option(names = "--max-length", defaultValue = "160",
      description = "Word pieces of a CA's query-document pair, or of a DE's document. Default: ${DEFAULT-VALUE}.")
  int maxLength;

  @Option(names = "--pooling", description = "How the encoder's states become a vector: mean or cls (the CA"
      + " scores that vector with its linear head). Default: mean for a DE, cls for a CA.")
  String pooling;

  @Option(names = "--separate-towers", description = "DE: separate query and document encoders (default: shared).")
  boolean separateTowers;

  @Option(names = "--dim", defaultValue = "0",
      description = "DE embedding dimension k: a linear projection after pooling; 0 for none (k = hidden size)."
          + " Default: ${DEFAULT-VALUE}.")
  int projection;

  @Option(names = "--normalize", description = "DE: L2-normalise embeddings (score = cosine / temperature).")
  boolean normalize;

  @Option(names = "--temperature", defaultValue = "1",
      description = "DE: temperature dividing the inner product (initial value when learned); CA: dividing the"
          + " segment cosine. Default: ${DEFAULT-VALUE}.")
  float temperature;

  @Option(names = "--segment-cosine", description = {"CA: add cos(mean of the query segment's states, mean of the"
      + " document segment's states) / temperature of the joint encoding to a zero-initialised head, so that the",
      "untrained CA ranks as its body's mean-pooled embeddings do."})
  boolean segmentCosine;

  @Option(names = "--learn-temperature", description = "DE: learn the temperature.")
  boolean learnTemperature;

  RankerConfig config() {
    EncoderSpec encoder = EncoderSpec.parse(init);
    return switch (model) {
      case "ca" -> {
        RankerConfig ca = encoder.crossEncoder(maxQueryLength, maxLength, pooling(Pooling.CLS));
        yield segmentCosine ? ca.withSegmentCosine(temperature) : ca;
      }
      case "de" -> {
        if (segmentCosine) {
          throw new IllegalArgumentException("--segment-cosine is a CA head; a DE scores by cosine already with --normalize");
        }
        yield encoder.dualEncoder(maxQueryLength, maxLength, pooling(Pooling.MEAN), !separateTowers, projection,
          normalize, temperature, learnTemperature);
      }
      default -> throw new IllegalArgumentException("--model must be ca or de, got " + model);
    };
  }

  private Pooling pooling(Pooling byDefault) {
    if (pooling == null) {
      return byDefault;
    }
    try {
      return Pooling.valueOf(pooling.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--pooling must be mean or cls, got " + pooling);
    }
  }
}
