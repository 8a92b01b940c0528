package io.dualrank.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualrank.text.TokenizerFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A local Hugging Face directory of a BERT encoder, read for dualrank. Three layouts:
 *
 * <ul>
 *   <li>{@link Layout#BERT_MODEL}: {@code config.json} + {@code model.safetensors} of a {@code BertModel} (or any
 *       BERT task model: its {@code bert.} body is taken), an encoder to start a CA or DE from;
 *   <li>{@link Layout#SEQUENCE_CLASSIFICATION}: {@code BertForSequenceClassification}, {@code
 *       DistilBertForSequenceClassification} or {@code ElectraForSequenceClassification} with one label, a ready
 *       CA: its head's first linear layer on the [CLS] state ({@code bert.pooler.dense}, {@code pre_classifier},
 *       {@code classifier.dense}) is the CA's pooler with the family's activation (tanh, ReLU, gelu: {@link
 *       PoolerActivation}), its last ({@code classifier}, {@code classifier}, {@code classifier.out_proj}) the
 *       head;
 *   <li>{@link Layout#SENTENCE_TRANSFORMERS}: {@code modules.json} naming a Transformer module, a Pooling
 *       module ({@code cls} or {@code mean}), optionally one Dense module (identity activation) and a Normalize
 *       module: a ready DE.
 * </ul>
 *
 * The tokenizer is {@code tokenizer.json}, else {@code vocab.txt} with {@code tokenizer_config.json}'s {@code
 * do_lower_case} and {@code strip_accents}. A {@code dualrank.json} written by {@link HuggingFaceExport} restores
 * the max lengths and temperature of the exported model. Read are BERT ({@code model_type: bert}, absolute
 * positions, exact gelu) and the BERT-likes whose weights map onto it by name: ELECTRA ({@code electra}, its
 * {@code electra.} body, only where {@code embedding_size == hidden_size}) and DistilBERT ({@code distilbert}, no
 * token types). Anything else is refused with an error naming the file and the field.
 */
public final class HuggingFaceModel {
  /** How the directory is laid out. */
  public enum Layout { BERT_MODEL, SEQUENCE_CLASSIFICATION, SENTENCE_TRANSFORMERS }

  static final String CONFIG = "config.json";
  static final String WEIGHTS = "model.safetensors";
  static final String MODULES = "modules.json";
  static final String SENTENCE_BERT_CONFIG = "sentence_bert_config.json";
  /** The dualrank {@link RankerConfig} of an exported model. */
  static final String DUALRANK_CONFIG = "dualrank.json";
  /** The names of an ST Dense module's weights, as dualrank's DE parameters name its projection. */
  static final String DENSE = "linear";
  /** The prefixes of a ready CA's pooler and classifier tensors as {@link #weights} names them. */
  private static final String POOLER = "pooler.dense.";
  private static final String CLASSIFIER = "classifier.";
  private static final String IDENTITY = "torch.nn.modules.linear.Identity";
  static final int DEFAULT_MAX_LENGTH = 512;
  static final int DEFAULT_CA_QUERY_LENGTH = 64;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Path bertDir;
  private final Layout layout;
  private final Family family;
  private final String architectures;
  private final BertConfig encoder;
  private final Pooling pooling;
  private final Path denseDir;
  private final int denseFeatures;
  private final boolean normalize;
  private final int maxSeqLength;

  private HuggingFaceModel(Path dir, Path bertDir, Layout layout, JsonNode bertConfig, BertConfig encoder,
      Pooling pooling, Path denseDir, int denseFeatures, boolean normalize, int maxSeqLength) {
    this.dir = dir;
    this.bertDir = bertDir;
    this.layout = layout;
    this.family = Family.of(bertConfig);
    this.architectures = bertConfig.path("architectures").toString();
    this.encoder = encoder;
    this.pooling = pooling;
    this.denseDir = denseDir;
    this.denseFeatures = denseFeatures;
    this.normalize = normalize;
    this.maxSeqLength = maxSeqLength;
  }

  /**
   * Whether {@code dir} is a Hugging Face directory rather than a dualrank one (no {@code model.params}) or an
   * ONNX graph's ({@link OnnxDirectory#isOnnxDirectory}).
   */
  public static boolean isHuggingFaceDirectory(Path dir) {
    return Files.isDirectory(dir) && !Files.exists(dir.resolve(RankerModel.WEIGHTS))
        && !OnnxDirectory.isOnnxDirectory(dir)
        && (Files.isRegularFile(dir.resolve(MODULES)) || Files.isRegularFile(dir.resolve(WEIGHTS))
            || Files.isRegularFile(dir.resolve("pytorch_model.bin")));
  }

  /**
   * Reads the layout and configuration of {@code dir} (weights are read by {@link #weights}).
   *
   * @throws IOException naming the file and field that is missing or not BERT's, or for an ONNX graph's
   *     directory (no weights to start from or export)
   */
  public static HuggingFaceModel read(Path dir) throws IOException {
    dir = dir.toAbsolutePath().normalize();
    if (OnnxDirectory.isOnnxDirectory(dir)) {
      throw OnnxDirectory.inferenceOnly(dir);
    }
    if (!Files.isRegularFile(dir.resolve(MODULES))) {
      Path configFile = dir.resolve(CONFIG);
      JsonNode config = readJson(configFile);
      BertConfig encoder = encoderConfig(configFile, config);
      String architecture = Family.of(config).classifier;
      boolean classifier = hasArchitecture(config, architecture);
      if (classifier) {
        int labels = config.has("num_labels") ? config.get("num_labels").asInt()
            : config.has("id2label") ? config.get("id2label").size() : 2;
        if (labels != 1) {
          throw new IOException(configFile + ": " + architecture + " with " + labels
              + " labels (id2label / num_labels); a ranker needs exactly 1 (one score)");
        }
      }
      return new HuggingFaceModel(dir, dir, classifier ? Layout.SEQUENCE_CLASSIFICATION : Layout.BERT_MODEL, config,
          encoder, Pooling.CLS, null, 0, false, 0);
    }
    Map<String, Path> paths = modules(dir);
    Path bertDir = paths.get("Transformer");
    Path configFile = bertDir.resolve(CONFIG);
    JsonNode bertConfig = readJson(configFile);
    BertConfig encoder = encoderConfig(configFile, bertConfig);
    Pooling pooling = pooling(paths.get("Pooling").resolve(CONFIG), encoder.hiddenSize());
    Path denseDir = paths.get("Dense");
    int features = denseDir == null ? 0 : denseFeatures(denseDir.resolve(CONFIG), encoder.hiddenSize());
    return new HuggingFaceModel(dir, bertDir, Layout.SENTENCE_TRANSFORMERS, bertConfig, encoder, pooling, denseDir,
        features, paths.containsKey("Normalize"), maxSeqLength(bertDir));
  }

  /**
   * The modules of a sentence-transformers directory's {@code modules.json}, by kind ({@code Transformer},
   * {@code Pooling}, {@code Dense}, {@code Normalize}) in their order, each with its folder.
   *
   * @throws IOException naming modules.json unless it lists Transformer, Pooling, [Dense], [Normalize]
   */
  static Map<String, Path> modules(Path dir) throws IOException {
    Path modulesFile = dir.resolve(MODULES);
    JsonNode modules = readJson(modulesFile);
    List<String> kinds = new ArrayList<>();
    Map<String, Path> paths = new LinkedHashMap<>();
    for (JsonNode module : modules) {
      String type = module.path("type").asText();
      String kind = type.substring(type.lastIndexOf('.') + 1);
      if (!List.of("Transformer", "Pooling", "Dense", "Normalize").contains(kind) || paths.containsKey(kind)) {
        throw new IOException(modulesFile + ": module " + type + " at position " + kinds.size()
            + " is not supported; expected Transformer, Pooling, then optionally one Dense and Normalize");
      }
      kinds.add(kind);
      paths.put(kind, dir.resolve(module.path("path").asText("")));
    }
    if (kinds.size() < 2 || !kinds.get(0).equals("Transformer") || !kinds.get(1).equals("Pooling")
        || kinds.indexOf("Normalize") >= 0 && kinds.indexOf("Normalize") != kinds.size() - 1) {
      throw new IOException(modulesFile + ": modules " + kinds + "; expected Transformer, Pooling, [Dense], [Normalize]");
    }
    return paths;
  }

  /** {@code max_seq_length} of the directory's {@code sentence_bert_config.json}; 0 where it has none. */
  static int maxSeqLength(Path dir) throws IOException {
    Path file = dir.resolve(SENTENCE_BERT_CONFIG);
    return Files.isRegularFile(file) ? readJson(file).path("max_seq_length").asInt(0) : 0;
  }

  /**
   * The BERT-likes whose weights map onto BERT's by their names alone (no other arithmetic), each with the prefix
   * of its body in a task model.
   */
  private enum Family {
    BERT("bert", CrossEncoderBlock.BERT_PREFIX, "BertForSequenceClassification", PoolerActivation.TANH, Map.of()),
    /**
     * ELECTRA whose embeddings are as wide as its encoder (no {@code embeddings_project}); its classification
     * head's {@code classifier.dense} is the pooler, {@code classifier.out_proj} the classifier.
     */
    ELECTRA("electra", "electra.", "ElectraForSequenceClassification", PoolerActivation.GELU,
        Map.of("classifier.dense.", POOLER, "classifier.out_proj.", CLASSIFIER)),
    /**
     * DistilBERT: no token types (zero token-type embeddings), its layers' names mapped onto BERT's; its
     * classification head's {@code pre_classifier} is the pooler.
     */
    DISTILBERT("distilbert", "distilbert.", "DistilBertForSequenceClassification", PoolerActivation.RELU,
        Map.of("pre_classifier.", POOLER));

    private static final String LAYERS = "transformer.layer.";
    /** DistilBERT's names within a layer, and BERT's for them. */
    private static final Map<String, String> DISTILBERT_LAYER = Map.of("attention.q_lin.", "attention.self.query.",
        "attention.k_lin.", "attention.self.key.", "attention.v_lin.", "attention.self.value.",
        "attention.out_lin.", "attention.output.dense.", "sa_layer_norm.", "attention.output.LayerNorm.",
        "ffn.lin1.", "intermediate.dense.", "ffn.lin2.", "output.dense.", "output_layer_norm.", "output.LayerNorm.");

    private final String modelType;
    private final String prefix;
    /** The architecture of the family's classification model, a ready CA with one label. */
    private final String classifier;
    private final PoolerActivation activation;
    /** The prefixes of the classification head's tensor names, and BERT's for them. */
    private final Map<String, String> head;

    Family(String modelType, String prefix, String classifier, PoolerActivation activation, Map<String, String> head) {
      this.modelType = modelType;
      this.prefix = prefix;
      this.classifier = classifier;
      this.activation = activation;
      this.head = head;
    }

    /** The family of a config.json (which {@link #encoderConfig} has checked). */
    static Family of(JsonNode config) {
      String type = config.path("model_type").asText("");
      return java.util.Arrays.stream(values()).filter(f -> f.modelType.equals(type)).findFirst().orElseThrow();
    }

    /**
     * A tensor's name in BERT's layout: body tensors as {@code BertModel} names them, the classification head's
     * as {@code BertForSequenceClassification}'s pooler and classifier without the {@code bert.} prefix; others
     * keep their name.
     */
    String bertName(String name) {
      for (Map.Entry<String, String> e : head.entrySet()) {
        if (name.startsWith(e.getKey())) {
          return e.getValue() + name.substring(e.getKey().length());
        }
      }
      String body = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
      if (this != DISTILBERT || !body.startsWith(LAYERS)) {
        return body;
      }
      String layer = body.substring(LAYERS.length(), body.indexOf('.', LAYERS.length()));
      String inLayer = body.substring(LAYERS.length() + layer.length() + 1);
      for (Map.Entry<String, String> e : DISTILBERT_LAYER.entrySet()) {
        if (inLayer.startsWith(e.getKey())) {
          return "encoder.layer." + layer + "." + e.getValue() + inLayer.substring(e.getKey().length());
        }
      }
      return body;
    }
  }

  /**
   * The encoder configuration a {@code config.json} declares, after checking that it is BERT or a BERT-like
   * that maps onto it ({@link Family}).
   */
  private static BertConfig encoderConfig(Path file, JsonNode config) throws IOException {
    String type = config.path("model_type").asText("");
    switch (type) {
      case "bert" -> { }
      case "electra" -> {
        int embedding = requireInt(file, config, "embedding_size");
        int hidden = requireInt(file, config, "hidden_size");
        if (embedding != hidden) {
          throw new IOException(file + ": field embedding_size is " + embedding + ", not hidden_size " + hidden
              + "; dualrank reads only ELECTRA models whose embeddings are as wide as the encoder (no"
              + " embeddings_project), e.g. the base and large ones");
        }
      }
      case "distilbert" -> {
        return distilBertConfig(file, config);
      }
      default -> throw new IOException(file + ": model_type is \"" + type + "\"; expected \"bert\", \"electra\" or"
          + " \"distilbert\" (dualrank reads BERT encoders and these BERT-likes only; not RoBERTa, XLM-R and others)");
    }
    requireText(file, config, "hidden_act", "gelu");
    requireText(file, config, "position_embedding_type", "absolute");
    try {
      return new BertConfig(
          requireInt(file, config, "vocab_size"),
          requireInt(file, config, "hidden_size"),
          requireInt(file, config, "num_hidden_layers"),
          requireInt(file, config, "num_attention_heads"),
          requireInt(file, config, "intermediate_size"),
          requireInt(file, config, "max_position_embeddings"),
          config.path("type_vocab_size").asInt(2),
          (float) config.path("hidden_dropout_prob").asDouble(BertConfig.DEFAULT_DROPOUT),
          (float) config.path("layer_norm_eps").asDouble(BertConfig.DEFAULT_LAYER_NORM_EPS));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** DistilBERT's fields ({@code dim}, {@code n_layers}, ...); its layer norms' epsilon is fixed at 1e-12. */
  private static BertConfig distilBertConfig(Path file, JsonNode config) throws IOException {
    requireText(file, config, "activation", "gelu");
    try {
      return new BertConfig(
          requireInt(file, config, "vocab_size"),
          requireInt(file, config, "dim"),
          requireInt(file, config, "n_layers"),
          requireInt(file, config, "n_heads"),
          requireInt(file, config, "hidden_dim"),
          requireInt(file, config, "max_position_embeddings"),
          2,
          (float) config.path("dropout").asDouble(BertConfig.DEFAULT_DROPOUT),
          1e-12f);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static int requireInt(Path file, JsonNode config, String field) throws IOException {
    JsonNode value = config.get(field);
    if (value == null || !value.canConvertToInt()) {
      throw new IOException(file + ": field " + field + " is " + (value == null ? "missing" : value)
          + "; expected an integer");
    }
    return value.asInt();
  }

  /** Checks that a text field is absent or {@code expected} (its default). */
  private static void requireText(Path file, JsonNode config, String field, String expected) throws IOException {
    String value = config.path(field).asText(expected);
    if (!value.equals(expected)) {
      throw new IOException(file + ": field " + field + " is \"" + value + "\"; only \"" + expected
          + "\" is supported");
    }
  }

  private static boolean hasArchitecture(JsonNode config, String name) {
    for (JsonNode architecture : config.path("architectures")) {
      if (architecture.asText().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The pooling a sentence-transformers {@code 1_Pooling/config.json} declares (cls or mean), checking its
   * {@code word_embedding_dimension} against the width of the states it pools.
   */
  static Pooling pooling(Path file, int hiddenSize) throws IOException {
    JsonNode config = readJson(file);
    List<String> modes = new ArrayList<>();
    config.fields().forEachRemaining(e -> {
      if (e.getKey().startsWith("pooling_mode_") && e.getValue().asBoolean()) {
        modes.add(e.getKey());
      }
    });
    if (modes.size() != 1 || !List.of("pooling_mode_cls_token", "pooling_mode_mean_tokens").contains(modes.get(0))) {
      throw new IOException(file + ": pooling modes " + modes + "; expected exactly one of pooling_mode_cls_token,"
          + " pooling_mode_mean_tokens");
    }
    int width = config.path("word_embedding_dimension").asInt(hiddenSize);
    if (width != hiddenSize) {
      throw new IOException(file + ": word_embedding_dimension " + width + " is not the encoder's hidden_size "
          + hiddenSize);
    }
    return modes.get(0).equals("pooling_mode_cls_token") ? Pooling.CLS : Pooling.MEAN;
  }

  private static int denseFeatures(Path file, int hiddenSize) throws IOException {
    JsonNode config = readJson(file);
    String activation = config.path("activation_function").asText(IDENTITY);
    if (!activation.equals(IDENTITY)) {
      throw new IOException(file + ": activation_function " + activation + "; only " + IDENTITY
          + " is supported (dualrank's projection is linear)");
    }
    if (config.path("in_features").asInt(-1) != hiddenSize) {
      throw new IOException(file + ": in_features " + config.path("in_features") + " is not the pooled width "
          + hiddenSize);
    }
    return requireInt(file, config, "out_features");
  }

  static JsonNode readJson(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": missing (a Hugging Face model directory needs it)");
    }
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
    }
  }

  public Path dir() {
    return dir;
  }

  public Layout layout() {
    return layout;
  }

  /** The encoder's configuration from {@code config.json}. */
  public BertConfig encoder() {
    return encoder;
  }

  /**
   * The configuration of the ready model this directory holds: a CA (with pooler) for {@link
   * Layout#SEQUENCE_CLASSIFICATION}, a DE with the declared pooling, projection and normalisation for {@link
   * Layout#SENTENCE_TRANSFORMERS}. Max lengths and temperature come from {@code dualrank.json} when present;
   * else a DE truncates queries and documents at {@code max_seq_length} (or 512), and a CA truncates pairs at
   * the tokenizer's {@code model_max_length} (or 512) and queries at 64 word pieces. The init and tokenizer
   * recorded are this directory.
   *
   * @throws IOException for a bare {@code BertModel}, which has no head
   */
  public RankerConfig readyConfig() throws IOException {
    RankerConfig saved = savedConfig(dir);
    String source = dir.toString();
    switch (layout) {
      case SEQUENCE_CLASSIFICATION -> {
        int maxLength = saved != null ? saved.maxLength() : Math.min(modelMaxLength(bertDir), encoder.maxPositions());
        int maxQueryLength = saved != null ? saved.maxQueryLength() : Math.min(DEFAULT_CA_QUERY_LENGTH, maxLength - 3);
        return new RankerConfig(Architecture.CROSS_ENCODER, source, source, encoder, maxQueryLength, maxLength,
            Pooling.CLS, true, 0, false, 1f, false, true, false, family.activation);
      }
      case SENTENCE_TRANSFORMERS -> {
        int maxLength = saved != null ? saved.maxLength()
            : Math.min(maxSeqLength > 0 ? maxSeqLength : DEFAULT_MAX_LENGTH, encoder.maxPositions());
        return new RankerConfig(Architecture.DUAL_ENCODER, source, source, encoder,
            saved != null ? saved.maxQueryLength() : maxLength, maxLength, pooling, true, denseFeatures, normalize,
            saved != null ? saved.temperature() : 1f, saved != null && saved.learnTemperature());
      }
      default -> throw new IOException(dir.resolve(CONFIG) + ": architectures " + architectures + " (model_type "
          + family.modelType + ") has no ranking head that dualrank runs (a bare body, or another head than "
          + family.classifier + "'s); start a model from its body with --init " + dir + ", or give a "
          + family.classifier + " with 1 label or a sentence-transformers directory");
    }
  }

  /** The {@link RankerConfig} in {@code dir}'s {@code dualrank.json} (an export's), or null where it has none. */
  static RankerConfig savedConfig(Path dir) throws IOException {
    Path file = dir.resolve(DUALRANK_CONFIG);
    return Files.isRegularFile(file) ? RankerModel.JSON.readValue(file.toFile(), RankerConfig.class) : null;
  }

  /** The tokenizer's {@code model_max_length} ({@code tokenizer_config.json}), else 512. */
  static int modelMaxLength(Path dir) throws IOException {
    Path file = dir.resolve("tokenizer_config.json");
    // transformers writes a huge number (int(1e30)) when the tokenizer sets no limit
    JsonNode length = Files.isRegularFile(file) ? readJson(file).path("model_max_length") : null;
    return length != null && length.canConvertToInt() && length.asInt() > 0 ? length.asInt() : DEFAULT_MAX_LENGTH;
  }

  /**
   * The weights, float32, named as dualrank's rankers name their parameters for Hugging Face: the body under
   * BERT's {@code BertModel} names (a {@code bert.}, {@code electra.} or {@code distilbert.} prefix removed, an
   * old checkpoint's {@code LayerNorm.gamma / beta} renamed as transformers does, DistilBERT's layer names
   * mapped and zero token-type embeddings added), a classification head's as {@code pooler.dense.*} and {@code
   * classifier.*} (see {@link Layout#SEQUENCE_CLASSIFICATION}), and an ST Dense module's weights as {@code linear.weight}, {@code linear.bias} (a zero bias where it has none).
   */
  public Map<String, FloatTensor> weights() throws IOException {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    readWeights(bertDir).forEach((name, tensor) -> out.put(family.bertName(currentName(name)), tensor));
    if (family == Family.DISTILBERT) {
      out.put("embeddings.token_type_embeddings.weight", new FloatTensor(
          new ai.djl.ndarray.types.Shape(encoder.typeVocabSize(), encoder.hiddenSize()),
          new float[encoder.typeVocabSize() * encoder.hiddenSize()]));
    }
    if (denseDir != null) {
      Map<String, FloatTensor> dense = readWeights(denseDir);
      FloatTensor weight = dense.get(DENSE + ".weight");
      if (weight == null) {
        throw new IOException(denseDir.resolve(WEIGHTS) + ": no tensor linear.weight");
      }
      out.put(DENSE + ".weight", weight);
      out.put(DENSE + ".bias", dense.getOrDefault(DENSE + ".bias",
          new FloatTensor(new ai.djl.ndarray.types.Shape(denseFeatures), new float[denseFeatures])));
    }
    return out;
  }

  /** The name transformers loads an old checkpoint's tensor under: {@code X.gamma} → {@code X.weight}, beta → bias. */
  private static String currentName(String name) {
    if (name.endsWith(".gamma")) {
      return name.substring(0, name.length() - ".gamma".length()) + ".weight";
    }
    return name.endsWith(".beta") ? name.substring(0, name.length() - ".beta".length()) + ".bias" : name;
  }

  /** {@code name} without transformers' {@code bert.} prefix of a task model's body. */
  static String withoutBertPrefix(String name) {
    return name.startsWith(CrossEncoderBlock.BERT_PREFIX) ? name.substring(CrossEncoderBlock.BERT_PREFIX.length()) : name;
  }

  private static Map<String, FloatTensor> readWeights(Path dir) throws IOException {
    Path file = dir.resolve(WEIGHTS);
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": missing; dualrank reads safetensors weights only (a pytorch_model.bin can be"
          + " converted with transformers' save_pretrained(..., safe_serialization=True))");
    }
    return SafeTensors.read(file);
  }

  /** The {@code tokenizer.json}, or one made from {@code vocab.txt} and {@code tokenizer_config.json}. */
  public byte[] tokenizerJson() throws IOException {
    return tokenizerJson(bertDir);
  }

  /** The {@code tokenizer.json} of {@code bertDir}, or one made from its {@code vocab.txt} and tokenizer config. */
  static byte[] tokenizerJson(Path bertDir) throws IOException {
    Path json = bertDir.resolve(RankerModel.TOKENIZER);
    if (Files.isRegularFile(json)) {
      return Files.readAllBytes(json);
    }
    Path vocab = bertDir.resolve("vocab.txt");
    if (!Files.isRegularFile(vocab)) {
      throw new IOException(bertDir + ": no tokenizer.json or vocab.txt");
    }
    Path configFile = bertDir.resolve("tokenizer_config.json");
    JsonNode config = Files.isRegularFile(configFile) ? readJson(configFile) : JSON.createObjectNode();
    JsonNode strip = config.path("strip_accents");
    try {
      return TokenizerFiles.fromVocab(Files.readAllLines(vocab, StandardCharsets.UTF_8),
          config.path("do_lower_case").asBoolean(true), strip.isBoolean() ? strip.asBoolean() : null);
    } catch (IllegalArgumentException e) {
      throw new IOException(vocab + ": " + e.getMessage(), e);
    }
  }
}
