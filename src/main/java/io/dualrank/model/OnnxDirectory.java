package io.dualrank.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.dualrank.text.WordPieceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A directory whose ONNX graph ONNX Runtime runs as is, for inference only: {@code model.onnx} (exported by
 * others, e.g. transformers/optimum or sentence-transformers, or by {@link OnnxExport}; else {@code
 * onnx/model.onnx}, where many Hugging Face repositories keep it, all other files at the top), {@code tokenizer.json}
 * (or {@code vocab.txt} with {@code tokenizer_config.json}; a BERT WordPiece tokenizer), and optionally {@code
 * config.json}, sentence-transformers modules ({@code modules.json}, {@code 1_Pooling/config.json}, {@code
 * 2_Normalize}) and an export's {@code dualrank.json}. The graph's inputs are fed by name ({@link OnnxBert#open}:
 * {@code input_ids}, {@code attention_mask}, {@code token_type_ids} only where the graph has it).
 *
 * <p>What the model is follows from the graph's float outputs, first match first:
 *
 * <ul>
 *   <li>{@code logits}, {@code score} or {@code scores} of shape {@code [B, 1]} or {@code [B]}: a CA, scoring
 *       {@code [CLS] q [SEP] d [SEP]} rows;
 *   <li>{@code sentence_embedding} or {@code embedding} {@code [B, k]}: a DE whose embedding is that output;
 *   <li>{@code last_hidden_state} {@code [B, L, H]}: a DE pooling it as the Pooling module (or dualrank.json)
 *       declares, cls or mean, and mean where nothing is declared (as sentence-transformers does).
 * </ul>
 *
 * A DE's embeddings are L2-normalised where dualrank.json or a Normalize module say so (again, where the graph
 * did it already: the same values up to rounding); its scores are plain inner products (an export's τ is not
 * applied: the same ranking). Max lengths come from dualrank.json, else a DE's from {@code max_seq_length} of
 * {@code sentence_bert_config.json} (else 512) and a CA's from the tokenizer's {@code model_max_length} (else
 * 512) with queries cut at 64 word pieces, capped at config.json's {@code max_position_embeddings} where given.
 */
public final class OnnxDirectory {
  /** The graph's file name. */
  private static final String GRAPH = OnnxExport.FILE;
  /** The sub-folder that holds the graph when the directory's top has none. */
  static final String GRAPH_FOLDER = "onnx";
  private static final List<String> SCORE_OUTPUTS = List.of("logits", "score", "scores");
  private static final List<String> EMBEDDING_OUTPUTS = List.of("sentence_embedding", "embedding");

  private OnnxDirectory() {}

  /**
   * Whether {@code dir} holds a graph to run as is: a {@link #graph} and no weights that dualrank reads
   * ({@code model.params}, {@code model.safetensors}: where there are, the directory is loaded from them).
   */
  public static boolean isOnnxDirectory(Path dir) {
    return graph(dir) != null && !Files.exists(dir.resolve(RankerModel.WEIGHTS))
        && !Files.exists(dir.resolve(HuggingFaceModel.WEIGHTS));
  }

  /** {@code dir}'s {@code model.onnx}, else its {@code onnx/model.onnx}; null where it has neither. */
  public static Path graph(Path dir) {
    for (Path file : List.of(dir.resolve(GRAPH), dir.resolve(GRAPH_FOLDER).resolve(GRAPH))) {
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    return null;
  }

  /** {@link #graph}'s path relative to {@code dir} (for messages); {@code dir} must hold a graph. */
  public static Path graphName(Path dir) {
    return dir.relativize(graph(dir));
  }

  /** The error for using a graph's directory where weights are needed (to start from, train or export). */
  static IOException inferenceOnly(Path dir) {
    return new IOException(dir + ": holds an ONNX graph (" + graphName(dir) + ") and no "
        + HuggingFaceModel.WEIGHTS
        + " or " + RankerModel.WEIGHTS + "; a graph runs as is for inference (--model, --rerank, a teacher's"
        + " model:), it cannot start a model, be trained or be exported");
  }

  /**
   * The model of the directory, its graph on {@code threads} intra-op threads: an {@link OnnxRuntimeCrossEncoder}
   * for a CA, an {@link EncoderRanker} over an {@link OnnxRuntimeEncoder} for a DE.
   *
   * @throws IOException naming the file when the graph's inputs or outputs are not as the class says, the
   *     tokenizer is no BERT WordPiece one, or dualrank.json's architecture is not the graph's
   */
  public static ScoringModel load(Path dir, int threads) throws IOException {
    WordPieceTokenizer tokenizer = tokenizer(dir);
    OnnxBert graph;
    try {
      graph = OnnxBert.open(graph(dir), threads);
    } catch (IOException | RuntimeException e) {
      tokenizer.close();
      throw e;
    }
    try {
      return model(dir, tokenizer, graph);
    } catch (IOException | RuntimeException e) {
      graph.close();
      tokenizer.close();
      throw e;
    }
  }

  private static ScoringModel model(Path dir, WordPieceTokenizer tokenizer, OnnxBert graph) throws IOException {
    Path file = graph(dir);
    Map<String, long[]> outputs = graph.floatOutputs();
    String score = first(outputs, SCORE_OUTPUTS);
    String embedding = first(outputs, EMBEDDING_OUTPUTS);
    String output = score != null ? score : embedding != null ? embedding
        : outputs.containsKey(OnnxBert.HIDDEN_STATES) ? OnnxBert.HIDDEN_STATES : null;
    int rank = output == null ? 0 : outputs.get(output).length;
    boolean scoreShape = rank == 1 || rank == 2 && outputs.get(output)[1] == 1;
    if (output == null || (score != null ? !scoreShape : rank != (embedding != null ? 2 : 3))) {
      throw new IOException(file + ": graph's float outputs " + describe(outputs) + "; expected " + SCORE_OUTPUTS
          + " [batch, 1] or [batch] (a cross-encoder), " + EMBEDDING_OUTPUTS + " [batch, k] or "
          + OnnxBert.HIDDEN_STATES + " [batch, sequence, hidden] (a dual encoder)");
    }
    Architecture architecture = score != null ? Architecture.CROSS_ENCODER : Architecture.DUAL_ENCODER;
    RankerConfig saved = HuggingFaceModel.savedConfig(dir);
    if (saved != null && saved.architecture() != architecture) {
      throw new IOException(dir.resolve(HuggingFaceModel.DUALRANK_CONFIG) + ": architecture " + saved.architecture()
          + ", but " + file + " outputs " + output + " (a " + architecture + ")");
    }
    int maxPositions = maxPositions(dir);
    if (architecture == Architecture.CROSS_ENCODER) {
      int maxLength = saved != null ? saved.maxLength() : Math.min(HuggingFaceModel.modelMaxLength(dir), maxPositions);
      int maxQueryLength = saved != null ? saved.maxQueryLength()
          : Math.min(HuggingFaceModel.DEFAULT_CA_QUERY_LENGTH, maxLength - 3);
      return new OnnxRuntimeCrossEncoder(tokenizer, maxQueryLength, maxLength, output, Pooling.CLS, null, 0f, graph);
    }
    int sequenceLength = HuggingFaceModel.maxSeqLength(dir);
    int maxLength = saved != null ? saved.maxLength()
        : Math.min(sequenceLength > 0 ? sequenceLength : HuggingFaceModel.DEFAULT_MAX_LENGTH, maxPositions);
    int width = graph.rows(tokenizer.batchOf(List.of(new int[0]), maxLength), output, Pooling.CLS)[0].length;
    Pooling pooling = Pooling.MEAN;
    boolean normalize = false;
    if (saved != null) {
      pooling = saved.pooling();
      normalize = saved.normalize();
    } else if (Files.isRegularFile(dir.resolve(HuggingFaceModel.MODULES))) {
      Map<String, Path> modules = HuggingFaceModel.modules(dir);
      if (output.equals(OnnxBert.HIDDEN_STATES)) { // else the graph has pooled (and projected) itself
        if (modules.containsKey("Dense")) {
          throw new IOException(dir.resolve(HuggingFaceModel.MODULES) + ": a Dense module, but " + file + " outputs "
              + OnnxBert.HIDDEN_STATES + " (no " + EMBEDDING_OUTPUTS + "); dualrank applies no Dense module to a"
              + " graph's states: export the graph with its sentence_embedding, or give the safetensors weights");
        }
        pooling = HuggingFaceModel.pooling(modules.get("Pooling").resolve(HuggingFaceModel.CONFIG), width);
      }
      normalize = modules.containsKey("Normalize");
    }
    return new EncoderRanker(new OnnxRuntimeEncoder(tokenizer, saved != null ? saved.maxQueryLength() : maxLength,
        maxLength, output, pooling, null, normalize, width, graph, graph));
  }

  private static String first(Map<String, long[]> outputs, List<String> names) {
    return names.stream().filter(outputs::containsKey).findFirst().orElse(null);
  }

  private static String describe(Map<String, long[]> outputs) {
    return outputs.isEmpty() ? "are none" : outputs.entrySet().stream()
        .map(e -> e.getKey() + " " + Arrays.toString(e.getValue()).replace("-1", "?"))
        .collect(Collectors.joining(", ", "are ", ""));
  }

  /** config.json's {@code max_position_embeddings}, where the directory has that file and field. */
  private static int maxPositions(Path dir) throws IOException {
    Path file = dir.resolve(HuggingFaceModel.CONFIG);
    JsonNode positions = Files.isRegularFile(file) ? HuggingFaceModel.readJson(file).get("max_position_embeddings") : null;
    if (positions != null && !(positions.canConvertToInt() && positions.asInt() >= 3)) {
      throw new IOException(file + ": field max_position_embeddings is " + positions + "; expected an integer >= 3");
    }
    return positions == null ? Integer.MAX_VALUE : positions.asInt();
  }

  private static WordPieceTokenizer tokenizer(Path dir) throws IOException {
    byte[] json = HuggingFaceModel.tokenizerJson(dir);
    try {
      return WordPieceTokenizer.fromJson(new ByteArrayInputStream(json));
    } catch (IllegalArgumentException e) {
      throw new IOException(dir.resolve(RankerModel.TOKENIZER) + ": " + e.getMessage()
          + "; dualrank runs BERT WordPiece tokenizers ([CLS], [SEP], [PAD])", e);
    }
  }
}
