package io.dualrank.cli;

import io.dualrank.model.DenseEncoder;
import io.dualrank.model.EncoderRanker;
import io.dualrank.model.HashingEncoder;
import io.dualrank.model.Ranker;

/**
 * Turns a model argument ({@code --model}, {@code --rerank}) into a model; the one place the commands and
 * the benchmarks load models. Built in: {@code hashing:<dim>}, the {@link HashingEncoder} (as a ranker,
 * its inner products, see {@link EncoderRanker}).
 */
public final class ModelLoader {
  private static final String HASHING = "hashing:";

  private ModelLoader() {}

  /** The dual encoder named by {@code spec}. */
  public static DenseEncoder denseEncoder(String spec) {
    if (spec.startsWith(HASHING)) {
      return new HashingEncoder(dimension(spec));
    }
    // TODO(models): load a trained DE from a model directory once the BERT encoder lands.
    throw unknown(spec);
  }

  /** The ranker (normally a cross-attention model) named by {@code spec}. */
  public static Ranker ranker(String spec) {
    if (spec.startsWith(HASHING)) {
      return new EncoderRanker(new HashingEncoder(dimension(spec)));
    }
    // TODO(models): load a trained CA from a model directory once the cross-encoder lands.
    throw unknown(spec);
  }

  private static int dimension(String spec) {
    try {
      return Integer.parseInt(spec.substring(HASHING.length()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("model '" + spec + "': expected hashing:<dimension>, e.g. hashing:256");
    }
  }

  private static IllegalArgumentException unknown(String spec) {
    return new IllegalArgumentException(
        "model '" + spec + "': only hashing:<dimension> can be loaded so far (model directories are not supported yet)");
  }
}
