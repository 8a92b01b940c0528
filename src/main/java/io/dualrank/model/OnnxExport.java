package io.dualrank.model;

import io.dualrank.model.OnnxGraphWriter.Attribute;
import io.dualrank.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ranker as a standalone ONNX graph (opset {@value #OPSET}) that ONNX Runtime and other runtimes run without
 * dualrank: inputs {@code input_ids}, {@code attention_mask}, {@code token_type_ids} (int64 {@code [batch,
 * sequence]}, both axes dynamic, rows right-padded); output {@code embedding} {@code [batch, k]} of a DE (pooling,
 * projection and normalisation as {@link DualEncoderBlock}; the score is ⟨e_q, e_d⟩ / τ with τ in the metadata)
 * or {@code score} {@code [batch]} of a CA ({@link Outputs#DUALRANK}; {@link Outputs#TRANSFORMERS} names them as
 * transformers' exports do, for the {@code onnx/} graph of {@link HuggingFaceExport}). The BERT body is built
 * from the weights under their {@code BertModel} names ({@link RankerModel#huggingFaceParameters}); each linear
 * layer is {@code Add(MatMul(x, Wᵀ), X.bias)}, so {@link OnnxInitializers#huggingFaceWeights} reads the same
 * names back. The {@link RankerConfig} is in the metadata as {@code dualrank_config}.
 */
public final class OnnxExport {
  static final int OPSET = 17;
  private static final String BATCH = "batch";
  private static final String SEQUENCE = "sequence";

  private OnnxExport() {}

  /** The file name of the graph {@link #write} writes. */
  public static final String FILE = "model.onnx";

  /**
   * Writes {@code model.onnx}, the tokenizer files of {@link io.dualrank.text.TokenizerFiles#huggingFaceFiles}
   * and {@code dualrank.json} into {@code out}, each atomically.
   */
  public static void write(RankerModel model, Path out) throws IOException {
    writeGraph(model, Outputs.DUALRANK, out.resolve(FILE));
    HuggingFaceExport.writeTokenizerAndConfig(model, out);
  }

  /** Writes the graph of {@code model} with the given outputs to {@code file}, atomically. */
  static void writeGraph(RankerModel model, Outputs outputs, Path file) throws IOException {
    byte[] graph = graph(model, outputs);
    AtomicFiles.writeFile(file, tmp -> Files.write(tmp, graph));
  }

  /** The graph's outputs: dualrank's own, or those that transformers' classes give. */
  public enum Outputs {
    /** A CA's {@code score} {@code [batch]}; a DE's {@code embedding} {@code [batch, k]}. */
    DUALRANK,
    /**
     * As optimum exports transformers' classes (the names transformers.js reads): a CA's {@code logits} {@code
     * [batch, 1]} ({@code BertForSequenceClassification}); a DE's {@code last_hidden_state} {@code [batch,
     * sequence, hidden]} ({@code BertModel}) and its {@code sentence_embedding} {@code [batch, k]} (pooled,
     * projected, normalised as the model is).
     */
    TRANSFORMERS
  }

  /** The ONNX model of {@code model} with {@link Outputs#DUALRANK}'s outputs. */
  public static byte[] graph(RankerModel model) throws IOException {
    return graph(model, Outputs.DUALRANK);
  }

  /** The ONNX model of {@code model} with the given outputs. */
  public static byte[] graph(RankerModel model, Outputs outputs) throws IOException {
    RankerConfig config = model.config();
    if (config.segmentCosine()) {
      throw new IllegalArgumentException("a CA with a segment-cosine head has no ONNX export yet");
    }
    Map<String, FloatTensor> weights = new LinkedHashMap<>();
    BertBlocks.values(model.huggingFaceParameters())
        .forEach((name, tensor) -> weights.put(HuggingFaceModel.withoutBertPrefix(name), tensor));
    OnnxGraphWriter g = new OnnxGraphWriter();
    for (String input : List.of("input_ids", "attention_mask", "token_type_ids")) {
      g.input(input, OnnxGraphWriter.INT64, BATCH, SEQUENCE);
    }
    String hidden = encoder(g, config.encoder(), weights);
    if (config.architecture() == Architecture.CROSS_ENCODER) {
      String cls = pool(g, hidden, config.pooling());
      if (config.pooler()) {
        String dense = linear(g, cls, "pooler.dense", weights);
        cls = switch (config.poolerActivation()) {
          case TANH -> g.node("Tanh", List.of(dense));
          case RELU -> g.node("Relu", List.of(dense));
          case GELU -> gelu(g, dense);
        };
      }
      String logits = linear(g, cls, "classifier", weights);
      if (outputs == Outputs.TRANSFORMERS) {
        g.output(logits, "logits", OnnxGraphWriter.FLOAT, BATCH, 1L);
      } else {
        g.output(g.node("Reshape", List.of(logits, g.longs(-1))), "score", OnnxGraphWriter.FLOAT, BATCH);
      }
    } else {
      if (outputs == Outputs.TRANSFORMERS) {
        g.output(hidden, "last_hidden_state", OnnxGraphWriter.FLOAT, BATCH, SEQUENCE,
            (long) config.encoder().hiddenSize());
      }
      String e = pool(g, hidden, config.pooling());
      if (config.projection() > 0) {
        e = linear(g, e, HuggingFaceModel.DENSE, weights);
      }
      if (config.normalize()) {
        String norm = g.node("Sqrt", List.of(g.node("ReduceSum", List.of(g.node("Mul", List.of(e, e)), g.longs(1)),
            Attribute.of("keepdims", 1L))));
        e = g.node("Div", List.of(e, g.node("Max", List.of(norm, g.scalar(1e-12f)))));
      }
      g.output(e, outputs == Outputs.TRANSFORMERS ? "sentence_embedding" : "embedding", OnnxGraphWriter.FLOAT, BATCH,
          (long) config.embeddingDimension());
      if (model instanceof DualEncoderRanker de) {
        g.metadata("temperature", Float.toString(de.temperature()));
      }
    }
    g.metadata("dualrank_config", RankerModel.JSON.writeValueAsString(config));
    return g.model("dualrank-" + (config.architecture() == Architecture.CROSS_ENCODER ? "ca" : "de"), OPSET);
  }

  /** BERT's last hidden states {@code [B, L, H]}, as {@link BertEncoder} computes them. */
  private static String encoder(OnnxGraphWriter g, BertConfig c, Map<String, FloatTensor> w) {
    String words = g.node("Gather", List.of(weight(g, "embeddings.word_embeddings.weight", w), "input_ids"));
    String length = g.node("Shape", List.of("input_ids"), Attribute.of("start", 1L), Attribute.of("end", 2L));
    String positions = g.node("Slice",
        List.of(weight(g, "embeddings.position_embeddings.weight", w), g.longs(0), length, g.longs(0)));
    String types = g.node("Gather", List.of(weight(g, "embeddings.token_type_embeddings.weight", w), "token_type_ids"));
    String h = layerNorm(g, g.node("Add", List.of(g.node("Add", List.of(words, positions)), types)),
        "embeddings.LayerNorm", w, c);
    // additive mask (1 - mask) · (-max float) on the keys, [B, 1, 1, L]
    String keep = g.node("Cast", List.of("attention_mask"), Attribute.of("to", (long) OnnxGraphWriter.FLOAT));
    String mask = g.node("Unsqueeze", List.of(g.node("Mul",
        List.of(g.node("Sub", List.of(g.scalar(1f), keep)), g.scalar(-Float.MAX_VALUE))), g.longs(1, 2)));
    String scale = g.scalar((float) Math.sqrt(c.headSize()));
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "encoder.layer." + i + ".";
      String q = heads(g, linear(g, h, p + "attention.self.query", w), c, 0, 2, 1, 3);
      String k = heads(g, linear(g, h, p + "attention.self.key", w), c, 0, 2, 3, 1);
      String v = heads(g, linear(g, h, p + "attention.self.value", w), c, 0, 2, 1, 3);
      String scores = g.node("Add", List.of(g.node("Div", List.of(g.node("MatMul", List.of(q, k)), scale)), mask));
      String probabilities = g.node("Softmax", List.of(scores), Attribute.of("axis", -1L));
      String context = g.node("Reshape", List.of(g.node("Transpose", List.of(g.node("MatMul", List.of(probabilities, v))),
          Attribute.ints("perm", 0, 2, 1, 3)), g.longs(0, 0, c.hiddenSize())));
      String attended = layerNorm(g, g.node("Add", List.of(linear(g, context, p + "attention.output.dense", w), h)),
          p + "attention.output.LayerNorm", w, c);
      String intermediate = gelu(g, linear(g, attended, p + "intermediate.dense", w));
      h = layerNorm(g, g.node("Add", List.of(linear(g, intermediate, p + "output.dense", w), attended)),
          p + "output.LayerNorm", w, c);
    }
    return h;
  }

  /** {@code [B, L, H] -> [B, heads, L, d]} (or another order of the last axes, as {@code perm} says). */
  private static String heads(OnnxGraphWriter g, String x, BertConfig c, long... perm) {
    String split = g.node("Reshape", List.of(x, g.longs(0, 0, c.numHeads(), c.headSize())));
    return g.node("Transpose", List.of(split), Attribute.ints("perm", perm));
  }

  /** Exact gelu {@code x · ½ (1 + erf(x / √2))}. */
  private static String gelu(OnnxGraphWriter g, String x) {
    String erf = g.node("Erf", List.of(g.node("Div", List.of(x, g.scalar((float) Math.sqrt(2))))));
    return g.node("Mul", List.of(g.node("Mul", List.of(x, g.node("Add", List.of(erf, g.scalar(1f))))), g.scalar(0.5f)));
  }

  private static String layerNorm(OnnxGraphWriter g, String x, String prefix, Map<String, FloatTensor> w, BertConfig c) {
    return g.node("LayerNormalization", List.of(x, weight(g, prefix + ".weight", w), weight(g, prefix + ".bias", w)),
        Attribute.of("axis", -1L), Attribute.of("epsilon", c.layerNormEps()));
  }

  /** The [CLS] state or the mean of the real tokens' states, {@code [B, H]} (see {@link Pooling}). */
  private static String pool(OnnxGraphWriter g, String hidden, Pooling pooling) {
    if (pooling == Pooling.CLS) {
      return g.node("Gather", List.of(hidden, g.longScalar(0)), Attribute.of("axis", 1L));
    }
    String mask = g.node("Unsqueeze", List.of(g.node("Cast", List.of("attention_mask"),
        Attribute.of("to", (long) OnnxGraphWriter.FLOAT)), g.longs(2)));
    String sum = g.node("ReduceSum", List.of(g.node("Mul", List.of(hidden, mask)), g.longs(1)),
        Attribute.of("keepdims", 0L));
    String count = g.node("ReduceSum", List.of(mask, g.longs(1)), Attribute.of("keepdims", 0L));
    return g.node("Div", List.of(sum, g.node("Max", List.of(count, g.scalar(1e-9f)))));
  }

  private static String linear(OnnxGraphWriter g, String x, String prefix, Map<String, FloatTensor> w) {
    return g.linear(x, prefix, require(prefix + ".weight", w), require(prefix + ".bias", w));
  }

  private static String weight(OnnxGraphWriter g, String name, Map<String, FloatTensor> w) {
    return g.initializer(name, require(name, w));
  }

  private static FloatTensor require(String name, Map<String, FloatTensor> w) {
    FloatTensor tensor = w.get(name);
    if (tensor == null) {
      throw new IllegalStateException("the model has no weight " + name);
    }
    return tensor;
  }
}
