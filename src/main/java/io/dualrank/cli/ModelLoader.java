package io.dualrank.cli;

import io.dualrank.model.DenseEncoder;
import io.dualrank.model.CrossEncoderRanker;
import io.dualrank.model.DualEncoderRanker;
import io.dualrank.model.EncoderRanker;
import io.dualrank.model.HashingEncoder;
import io.dualrank.model.MatrixPrecision;
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
 * always runs it with DJL/PyTorch, and so does a precision other than fp32 ({@link MatrixPrecision}: bf16, fp16,
 * int8), which an ONNX graph and {@code hashing:} refuse.
 */
public final class ModelLoader {
  private static final String HASHING = "hashing:";
  private static final String PYTORCH = "pytorch:";

  private ModelLoader() {}

  /** The dual encoder named by {@code spec}, ONNX Runtime using every core. */
  public static DenseEncoder denseEncoder(String spec) {
    return denseEncoder(spec, MatrixPrecision.FP32);
  }

  /** The dual encoder named by {@code spec} in {@code precision}, ONNX Runtime (fp32 only) using every core. */
  public static DenseEncoder denseEncoder(String spec, MatrixPrecision precision) {
    return denseEncoder(spec, Runtime.getRuntime().availableProcessors(), precision);
  }

  /** The dual encoder named by {@code spec}, ONNX Runtime (if it runs it) using {@code threads} threads. */
  public static DenseEncoder denseEncoder(String spec, int threads) {
    return denseEncoder(spec, threads, MatrixPrecision.FP32);
  }

  /**
   * The dual encoder named by {@code spec} with its matrix products in {@code precision}: in fp32 run by ONNX
   * Runtime (if it runs it) using {@code threads} threads; in any other by DJL/PyTorch.
   *
   * @throws IllegalArgumentException for a precision other than fp32 and a model that has only fp32 (an ONNX
   *     graph, {@code hashing:})
   */
  public static DenseEncoder denseEncoder(String spec, int threads, MatrixPrecision precision) {
    requireWeights(spec, precision);
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
    if (spec.startsWith(PYTORCH) || precision != MatrixPrecision.FP32 || !OnnxRuntimeEncoder.runs(de.config())) {
      return inPrecision(spec, de, precision);
    }
    try (de) {
      return OnnxRuntimeEncoder.of(de, threads);
    }
  }

  /** The ranker (normally a cross-attention model) named by {@code spec}, ONNX Runtime using every core. */
  public static Ranker ranker(String spec) {
    return ranker(spec, MatrixPrecision.FP32);
  }

  /** The ranker named by {@code spec} in {@code precision}, ONNX Runtime (fp32 only) using every core. */
  public static Ranker ranker(String spec, MatrixPrecision precision) {
    return ranker(spec, Runtime.getRuntime().availableProcessors(), precision);
  }

  /** The ranker named by {@code spec}, ONNX Runtime (if it runs it) using {@code threads} threads. */
  public static Ranker ranker(String spec, int threads) {
    return ranker(spec, threads, MatrixPrecision.FP32);
  }

  /**
   * The ranker named by {@code spec} with its matrix products in {@code precision}: in fp32 run by ONNX Runtime
   * (if it runs it) using {@code threads} threads; in any other by DJL/PyTorch.
   *
   * @throws IllegalArgumentException as {@link #denseEncoder(String, int, MatrixPrecision)}
   */
  public static Ranker ranker(String spec, int threads, MatrixPrecision precision) {
    requireWeights(spec, precision);
    if (spec.startsWith(HASHING)) {
      return new EncoderRanker(new HashingEncoder(dimension(spec)));
    }
    if (OnnxDirectory.isOnnxDirectory(directory(spec))) {
      return loadGraph(spec, threads);
    }
    RankerModel model = load(spec);
    if (spec.startsWith(PYTORCH) || precision != MatrixPrecision.FP32 || !(model instanceof CrossEncoderRanker ca)
        || !OnnxRuntimeCrossEncoder.runs(ca.config())) {
      return inPrecision(spec, model, precision);
    }
    try (ca) {
      return OnnxRuntimeCrossEncoder.of(ca, threads);
    }
  }

  /**
   * The model that re-ranking and teacher scoring run, as {@link ScoringModel#load} reads it from {@code dir}
   * (a dualrank or Hugging Face directory by DJL/PyTorch, an ONNX graph's by ONNX Runtime, an ensemble), with
   * its matrix products in {@code precision}.
   *
   * @throws IllegalArgumentException for a precision other than fp32 and an ONNX graph (or an ensemble with one)
   */
  public static ScoringModel scoringModel(Path dir, MatrixPrecision precision) throws IOException {
    requireWeights(dir.toString(), precision);
    return inPrecision(dir.toString(), ScoringModel.load(dir), precision);
  }

  /** {@link #encodingInputs(String, Path, MatrixPrecision)} in fp32. */
  public static Map<String, String> encodingInputs(String spec, Path corpus) throws IOException {
    return encodingInputs(spec, corpus, MatrixPrecision.FP32);
  }

  /**
   * What encoding a corpus with {@code spec} depends on besides its name, for resume keys: the model
   * directory's checksums ({@link RankerModel#checksums}; none for {@code hashing:}), the corpus file's, and
   * the precision unless it is fp32 (so fp32 keys are those made before there was a choice).
   */
  public static Map<String, String> encodingInputs(String spec, Path corpus, MatrixPrecision precision)
      throws IOException {
    Map<String, String> inputs = new TreeMap<>();
    if (precision != MatrixPrecision.FP32) {
      inputs.put("precision", precision.cliName());
    }
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

  /**
   * Refuses a precision other than fp32 for what runs in fp32 only: {@code hashing:} (no matrix products) and
   * an ONNX graph (run as is by ONNX Runtime).
   */
  private static void requireWeights(String spec, MatrixPrecision precision) {
    if (precision == MatrixPrecision.FP32) {
      return;
    }
    if (spec.startsWith(HASHING)) {
      throw new IllegalArgumentException("model '" + spec + "': the hashing encoder has no matrix products; --precision "
          + precision.cliName() + " needs a model directory (run by DJL/PyTorch), or --precision fp32");
    }
    if (OnnxDirectory.isOnnxDirectory(directory(spec))) {
      throw new IllegalArgumentException("model '" + spec + "' is an ONNX graph (" + OnnxDirectory.graphName(directory(spec))
          + "), run as is by ONNX Runtime in float32: --precision " + precision.cliName() + " needs a model directory"
          + " with its weights (dualrank's or Hugging Face's, run by DJL/PyTorch), or --precision fp32");
    }
  }

  /**
   * {@code model} with its matrix products in {@code precision} (nothing set in fp32); a line on stderr says
   * so otherwise. Closes it where it cannot run in that precision.
   */
  private static <M extends ScoringModel> M inPrecision(String spec, M model, MatrixPrecision precision) {
    if (precision == MatrixPrecision.FP32) {
      return model;
    }
    try {
      model.setMatrixPrecision(precision);
    } catch (IllegalArgumentException e) {
      model.close();
      throw new IllegalArgumentException("model '" + spec + "': " + e.getMessage(), e);
    }
    System.err.println("model " + spec + ": matrix products in " + precision.cliName() + " (DJL/PyTorch)");
    return model;
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
