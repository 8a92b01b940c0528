package io.dualrank.cli;

import io.dualrank.model.DenseEncoder;
import io.dualrank.model.CrossEncoderRanker;
import io.dualrank.model.DualEncoderRanker;
import io.dualrank.model.EncoderRanker;
import io.dualrank.model.HashingEncoder;
import io.dualrank.model.OnnxDirectory;
import io.dualrank.model.OnnxRuntimeCrossEncoder;
import io.dualrank.model.OnnxRuntimeEncoder;
import io.dualrank.model.Ranker;
import io.dualrank.model.RankerModel;
import io.dualrank.model.ScoringModel;
import io.dualrank.util.Checksums;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a model argument ({@code --model}, {@code --rerank}) into a model; the one place the commands and
 * the benchmarks load models: a model directory written by {@code dualrank train} or {@code init} (see
 * {@link RankerModel}), or {@code hashing:<dim>}, the {@link HashingEncoder} (as a ranker, its inner
 * products, see {@link EncoderRanker}), or a Hugging Face directory (a {@code BertForSequenceClassification}
 * with one label as a CA, a sentence-transformers directory as a DE; see {@link RankerModel#load}), or a
 * directory with an ONNX graph exported by others, run as is by ONNX Runtime ({@link OnnxDirectory}).
 *
 * <p>A model from a directory is run by ONNX Runtime when its encoder has the shape of its tokenizer's
 * pre-trained graph ({@link OnnxRuntimeEncoder}, {@link OnnxRuntimeCrossEncoder}: the same embeddings and
 * scores up to float rounding, 1.5 times as fast on CPU), else by DJL/PyTorch; {@code pytorch:<dir>}
 * always runs it with DJL/PyTorch.
 */
public final class ModelLoader {
  private static final String HASHING = "hashing:";
  private static final String PYTORCH = "pytorch:";

  private ModelLoader() {}

  /** The dual encoder named by {@code spec}, ONNX Runtime using every core. */
  public static DenseEncoder denseEncoder(String spec) {
    return denseEncoder(spec, Runtime.getRuntime().availableProcessors());
  }

  /** The dual encoder named by {@code spec}, ONNX Runtime (if it runs it) using {@code threads} threads. */
  public static DenseEncoder denseEncoder(String spec, int threads) {
    if (spec.startsWith(HASHING)) {
      return new HashingEncoder(dimension(spec));
    }
    if (OnnxDirectory.isOnnxDirectory(directory(spec))) {
      ScoringModel graph = loadGraph(spec, threads);
      if (graph instanceof EncoderRanker de) {
        return de.encoder();
      }
      graph.close();
      throw new IllegalArgumentException("model '" + spec + "' is a cross-encoder: it cannot encode documents alone");
    }
    RankerModel model = load(spec);
    if (!(model instanceof DualEncoderRanker de)) {
      model.close();
      throw new IllegalArgumentException("model '" + spec + "' is a cross-encoder: it cannot encode documents alone");
    }
    if (spec.startsWith(PYTORCH) || !OnnxRuntimeEncoder.runs(de.config())) {
      return de;
    }
    try (de) {
      return OnnxRuntimeEncoder.of(de, threads);
    }
  }

  /** The ranker (normally a cross-attention model) named by {@code spec}, ONNX Runtime using every core. */
  public static Ranker ranker(String spec) {
    return ranker(spec, Runtime.getRuntime().availableProcessors());
  }

  /** The ranker named by {@code spec}, ONNX Runtime (if it runs it) using {@code threads} threads. */
  public static Ranker ranker(String spec, int threads) {
    if (spec.startsWith(HASHING)) {
      return new EncoderRanker(new HashingEncoder(dimension(spec)));
    }
    if (OnnxDirectory.isOnnxDirectory(directory(spec))) {
      return loadGraph(spec, threads);
    }
    RankerModel model = load(spec);
    if (spec.startsWith(PYTORCH) || !(model instanceof CrossEncoderRanker ca)
        || !OnnxRuntimeCrossEncoder.runs(ca.config())) {
      return model;
    }
    try (ca) {
      return OnnxRuntimeCrossEncoder.of(ca, threads);
    }
  }

  /**
   * What encoding a corpus with {@code spec} depends on besides its name, for resume keys: the model
   * directory's checksums ({@link RankerModel#checksums}; none for {@code hashing:}) and the corpus file's.
   */
  public static Map<String, String> encodingInputs(String spec, Path corpus) throws IOException {
    Map<String, String> inputs = new TreeMap<>();
    if (!spec.startsWith(HASHING)) {
      inputs.putAll(RankerModel.checksums(directory(spec)));
    }
    inputs.put("corpus " + corpus.getFileName() + ".sha256", Checksums.sha256(corpus));
    return inputs;
  }

  private static int dimension(String spec) {
    try {
      return Integer.parseInt(spec.substring(HASHING.length()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("model '" + spec + "': expected hashing:<dimension>, e.g. hashing:256");
    }
  }

  /** The directory {@code spec} names, without its {@code pytorch:} prefix if any. */
  private static Path directory(String spec) {
    return Path.of(spec.startsWith(PYTORCH) ? spec.substring(PYTORCH.length()) : spec);
  }

  /** The ONNX graph's model in the directory {@code spec} (which a {@code pytorch:} prefix cannot run). */
  private static ScoringModel loadGraph(String spec, int threads) {
    if (spec.startsWith(PYTORCH)) {
      Path dir = directory(spec);
      throw new IllegalArgumentException("model '" + spec + "': " + dir + " holds an ONNX graph ("
          + OnnxDirectory.graphName(dir) + ") without weights, which only ONNX Runtime runs; drop " + PYTORCH);
    }
    try {
      return OnnxDirectory.load(directory(spec), threads);
    } catch (IOException e) {
      throw new IllegalArgumentException("model '" + spec + "': " + e.getMessage(), e);
    }
  }

  /** The model in the directory {@code spec}, without its {@code pytorch:} prefix if any. */
  private static RankerModel load(String spec) {
    Path dir = directory(spec);
    try {
      return RankerModel.load(dir);
    } catch (IOException e) {
      throw new IllegalArgumentException("model '" + spec + "': expected hashing:<dimension>, a model directory or a Hugging Face one ("
          + e.getMessage() + ")", e);
    }
  }
}
