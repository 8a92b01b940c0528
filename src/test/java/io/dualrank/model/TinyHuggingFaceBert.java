package io.dualrank.model;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * A tiny random BERT written as transformers writes one: {@code config.json} with the fields {@code
 * BertConfig.to_json_file} writes, {@code model.safetensors} with the tensor names of {@code BertModel} /
 * {@code BertForSequenceClassification} spelled out here (not taken from dualrank), a {@code vocab.txt}.
 */
final class TinyHuggingFaceBert {
  static final int HIDDEN = 16;
  static final int LAYERS = 2;
  static final int HEADS = 2;
  static final int INTERMEDIATE = 24;
  static final int POSITIONS = 40;
  static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "a", "dual",
      "encoder", "cross", "rank", "query", "document", "is", "what", "cheap", "flights", "to", "##s", "##ing", "price",
      "drop", "in", "winter", "model", ",", ".", "?", "of", "and");

  private TinyHuggingFaceBert() {}

  /** {@code BertModel} tensors (no prefix), then pooler, with random values of a fixed seed. */
  static Map<String, FloatTensor> bertModelWeights(long seed) {
    Random random = new Random(seed);
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    w.put("embeddings.word_embeddings.weight", random(random, VOCAB.size(), HIDDEN));
    w.put("embeddings.position_embeddings.weight", random(random, POSITIONS, HIDDEN));
    w.put("embeddings.token_type_embeddings.weight", random(random, 2, HIDDEN));
    w.put("embeddings.LayerNorm.weight", around(random, 1, HIDDEN));
    w.put("embeddings.LayerNorm.bias", random(random, HIDDEN));
    for (int i = 0; i < LAYERS; i++) {
      String p = "encoder.layer." + i + ".";
      for (String name : List.of("attention.self.query", "attention.self.key", "attention.self.value",
          "attention.output.dense")) {
        w.put(p + name + ".weight", random(random, HIDDEN, HIDDEN));
        w.put(p + name + ".bias", random(random, HIDDEN));
      }
      w.put(p + "attention.output.LayerNorm.weight", around(random, 1, HIDDEN));
      w.put(p + "attention.output.LayerNorm.bias", random(random, HIDDEN));
      w.put(p + "intermediate.dense.weight", random(random, INTERMEDIATE, HIDDEN));
      w.put(p + "intermediate.dense.bias", random(random, INTERMEDIATE));
      w.put(p + "output.dense.weight", random(random, HIDDEN, INTERMEDIATE));
      w.put(p + "output.dense.bias", random(random, HIDDEN));
      w.put(p + "output.LayerNorm.weight", around(random, 1, HIDDEN));
      w.put(p + "output.LayerNorm.bias", random(random, HIDDEN));
    }
    w.put("pooler.dense.weight", random(random, HIDDEN, HIDDEN));
    w.put("pooler.dense.bias", random(random, HIDDEN));
    return w;
  }

  /** {@code BertForSequenceClassification} tensors: {@code bert.} + the body and pooler, {@code classifier.*}. */
  static Map<String, FloatTensor> sequenceClassificationWeights(long seed) {
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    bertModelWeights(seed).forEach((name, t) -> w.put("bert." + name, t));
    Random random = new Random(seed + 1);
    w.put("classifier.weight", random(random, 1, HIDDEN));
    w.put("classifier.bias", random(random, 1));
    return w;
  }

  /** The body's {@code BertModel} tensors of a weight map of either layout, without pooler and head. */
  static Map<String, FloatTensor> body(Map<String, FloatTensor> weights) {
    Map<String, FloatTensor> body = new LinkedHashMap<>();
    weights.forEach((name, t) -> {
      String n = name.startsWith("bert.") ? name.substring(5) : name;
      if (n.startsWith("embeddings.") || n.startsWith("encoder.")) {
        body.put(n, t);
      }
    });
    return body;
  }

  /** config.json as transformers 4.x writes it for this BERT. */
  static String configJson(String architecture, String extra) {
    return "{\n  \"architectures\": [\"" + architecture + "\"],\n"
        + "  \"attention_probs_dropout_prob\": 0.1,\n  \"classifier_dropout\": null,\n"
        + "  \"hidden_act\": \"gelu\",\n  \"hidden_dropout_prob\": 0.1,\n  \"hidden_size\": " + HIDDEN + ",\n"
        + "  \"initializer_range\": 0.02,\n  \"intermediate_size\": " + INTERMEDIATE + ",\n"
        + "  \"layer_norm_eps\": 1e-12,\n  \"max_position_embeddings\": " + POSITIONS + ",\n"
        + "  \"model_type\": \"bert\",\n  \"num_attention_heads\": " + HEADS + ",\n"
        + "  \"num_hidden_layers\": " + LAYERS + ",\n  \"pad_token_id\": 0,\n"
        + "  \"position_embedding_type\": \"absolute\",\n  \"torch_dtype\": \"float32\",\n"
        + "  \"transformers_version\": \"4.46.3\",\n  \"type_vocab_size\": 2,\n  \"use_cache\": true,\n"
        + extra + "  \"vocab_size\": " + VOCAB.size() + "\n}\n";
  }

  /** A BertForSequenceClassification directory with one label and a vocab.txt tokenizer. */
  static Map<String, FloatTensor> writeCrossEncoder(Path dir, long seed) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), configJson("BertForSequenceClassification",
        "  \"id2label\": {\"0\": \"LABEL_0\"},\n  \"label2id\": {\"LABEL_0\": 0},\n"));
    Map<String, FloatTensor> weights = sequenceClassificationWeights(seed);
    SafeTensors.write(dir.resolve("model.safetensors"), weights);
    writeVocab(dir);
    Files.writeString(dir.resolve("tokenizer_config.json"),
        "{\"do_lower_case\": true, \"model_max_length\": 32, \"tokenizer_class\": \"BertTokenizer\"}");
    return weights;
  }

  static void writeVocab(Path dir) throws IOException {
    Files.write(dir.resolve("vocab.txt"), (String.join("\n", VOCAB) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static FloatTensor random(Random random, int... dims) {
    long[] shape = new long[dims.length];
    int size = 1;
    for (int i = 0; i < dims.length; i++) {
      shape[i] = dims[i];
      size *= dims[i];
    }
    float[] data = new float[size];
    for (int i = 0; i < size; i++) {
      data[i] = (float) (random.nextGaussian() * 0.3);
    }
    return new FloatTensor(new Shape(shape), data);
  }

  private static FloatTensor around(Random random, float centre, int size) {
    FloatTensor t = random(random, size);
    for (int i = 0; i < size; i++) {
      t.data()[i] += centre;
    }
    return t;
  }

  /**
   * A classification head by plain arithmetic: {@code classifier · act(pooler · x + poolerBias) + bias}, {@code x}
   * the [CLS] state.
   */
  static ToDoubleFunction<float[]> head(FloatTensor pooler, FloatTensor poolerBias,
      DoubleUnaryOperator act, FloatTensor classifier, FloatTensor bias) {
    return x -> {
      float[] pooled = affine(pooler, poolerBias, x);
      for (int j = 0; j < pooled.length; j++) {
        pooled[j] = (float) act.applyAsDouble(pooled[j]);
      }
      return affine(classifier, bias, pooled)[0];
    };
  }

  /** Row-major {@code W x + b} for W {@code [out, in]}. */
  static float[] affine(FloatTensor weight, FloatTensor bias, float[] x) {
    int out = (int) weight.shape().get(0);
    float[] y = new float[out];
    for (int i = 0; i < out; i++) {
      double s = bias.data()[i];
      for (int j = 0; j < x.length; j++) {
        s += weight.data()[i * x.length + j] * x[j];
      }
      y[i] = (float) s;
    }
    return y;
  }
}
