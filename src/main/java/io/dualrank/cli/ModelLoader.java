package io.dualrank.cli;

import io.dualrank.model.DenseEncoder;
import io.dualrank.model.EncoderRanker;
import io.dualrank.model.HashingEncoder;
import io.dualrank.model.OnnxRuntimeEncoder;
import io.dualrank.model.Ranker;
import io.dualrank.model.RankerModel;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns a model argument ({@code --model}, {@code --rerank}) into a model; the one place the commands and
 * the benchmarks load models: a model directory written by {@code dualrank train} (see {@link RankerModel}),
 * or {@code hashing:<dim>}, the {@link HashingEncoder} (as a ranker, its inner products, see
 * {@link EncoderRanker}), or {@code onnx:<model directory>}: ONNX Runtime running the pre-trained encoder
 * that the (untrained) dual encoder in that directory was initialised from ({@link OnnxRuntimeEncoder}).
 */
public final class ModelLoader {
  private static final String HASHING = "hashing:";
  private static final String ONNX = "onnx:";

  private ModelLoader() {}

  /** The dual encoder named by {@code spec}. */
  public static DenseEncoder denseEncoder(String spec) {
    if (spec.startsWith(HASHING)) {
      return new HashingEncoder(dimension(spec));
    }
    if (spec.startsWith(ONNX)) {
      return onnxRuntime(spec);
    }
    if (load(spec) instanceof DenseEncoder de) {
      return de;
    }
    throw new IllegalArgumentException("model '" + spec + "' is a cross-encoder: it cannot encode documents alone");
  }

  /** The ranker (normally a cross-attention model) named by {@code spec}. */
  public static Ranker ranker(String spec) {
    if (spec.startsWith(HASHING)) {
      return new EncoderRanker(new HashingEncoder(dimension(spec)));
    }
    return load(spec);
  }

  private static DenseEncoder onnxRuntime(String spec) {
    Path dir = Path.of(spec.substring(ONNX.length()));
    try {
      return new OnnxRuntimeEncoder(RankerModel.readConfig(dir), Runtime.getRuntime().availableProcessors());
    } catch (IOException e) {
      throw new IllegalArgumentException("model '" + spec + "': expected onnx:<model directory> (" + e.getMessage()
          + ")", e);
    }
  }

  private static int dimension(String spec) {
    try {
      return Integer.parseInt(spec.substring(HASHING.length()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("model '" + spec + "': expected hashing:<dimension>, e.g. hashing:256");
    }
  }

  private static RankerModel load(String spec) {
    Path dir = Path.of(spec);
    try {
      return RankerModel.load(dir);
    } catch (IOException e) {
      throw new IllegalArgumentException("model '" + spec + "': expected hashing:<dimension> or a model directory ("
          + e.getMessage() + ")", e);
    }
  }
}
