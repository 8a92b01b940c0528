package io.dualrank.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dualrank.text.WordPieceTokenizer;
import io.dualrank.util.AtomicFiles;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trainable ranker: a DJL block, its tokenizer and its {@link RankerConfig}. A model directory holds
 * {@code config.json}, {@code model.params} (DJL parameter format), {@code tokenizer.json}, and, for a trained
 * model, {@code provenance.json} (written by the trainer). Each file is written atomically.
 *
 * <p>Subclasses give the architecture's scores; this base owns creation, loading, saving and the parameters.
 */
public abstract class RankerModel implements ScoringModel {
  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.params";
  public static final String TOKENIZER = "tokenizer.json";
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  protected final RankerConfig config;
  protected final NDManager manager;
  protected final WordPieceTokenizer tokenizer;
  private final byte[] tokenizerJson;
  private final AbstractBlock block;

  protected RankerModel(RankerConfig config, AbstractBlock block, byte[] tokenizerJson, NDManager manager) {
    this.config = config;
    this.block = block;
    this.manager = manager;
    this.tokenizerJson = tokenizerJson;
    try {
      this.tokenizer = WordPieceTokenizer.fromJson(new java.io.ByteArrayInputStream(tokenizerJson));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A new model for {@code config}: encoder weights from the pre-trained encoder or the Hugging Face directory
   * named by {@code config.init()} (every encoder of a DE with separate towers starts from them; of a Hugging
   * Face directory only the BERT body is taken), or random ones; heads and projections random. {@code seed}
   * fixes the random initialisation.
   *
   * @throws IllegalArgumentException if a Hugging Face directory named by the config cannot be read
   */
  public static RankerModel create(RankerConfig config, long seed) {
    ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
    byte[] tokenizerJson;
    try {
      tokenizerJson = PretrainedEncoder.find(config.tokenizer()).isPresent()
          ? PretrainedEncoder.byId(config.tokenizer()).tokenizerJson()
          : HuggingFaceModel.read(Path.of(config.tokenizer())).tokenizerJson();
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    RankerModel model = build(config, tokenizerJson, NDManager.newBaseManager());
    try {
      if (!RankerConfig.RANDOM_INIT.equals(config.init())) {
        boolean pretrained = PretrainedEncoder.find(config.init()).isPresent();
        var weights = pretrained ? PretrainedEncoder.byId(config.init()).huggingFaceWeights()
            : HuggingFaceModel.read(Path.of(config.init())).weights();
        for (BertEncoder encoder : model.encoders()) {
          var unused = loadInto(encoder, weights, config.init());
          if (pretrained && !unused.isEmpty()) {
            throw new IllegalStateException(config.init() + ": weights the encoder does not use: " + unused);
          }
        }
      }
      return model;
    } catch (IOException e) {
      model.close();
      throw new IllegalArgumentException(e.getMessage(), e);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private static java.util.Set<String> loadInto(BertEncoder encoder, Map<String, FloatTensor> weights, String source) {
    try {
      return encoder.loadHuggingFaceWeights(weights);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * A new model for {@code config} whose weights are those of the trained model in {@code dir}: a warm start, e.g.
   * a teacher trained on one dataset and continued on another. The two configs may differ in their word-piece
   * lengths only; whatever shapes or reads the weights must be equal.
   *
   * @throws IllegalArgumentException if {@code dir}'s config differs in more than its lengths
   */
  public static RankerModel startingFrom(RankerConfig config, Path dir) throws IOException {
    RankerConfig source = readConfig(dir);
    if (!config.withLengths(source.maxQueryLength(), source.maxLength()).equals(source)) {
      throw new IllegalArgumentException(dir + ": a warm start needs the same model up to its lengths; its config "
          + source + " differs from " + config);
    }
    return withWeightsOf(config, dir);
  }

  /** A model of {@code config} with the tokenizer and weights of the model directory {@code dir}. */
  private static RankerModel withWeightsOf(RankerConfig config, Path dir) throws IOException {
    RankerModel model = build(config, Files.readAllBytes(dir.resolve(TOKENIZER)), NDManager.newBaseManager());
    try {
      model.loadWeights(dir.resolve(WEIGHTS));
      return model;
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * What a model started from {@code dir} ({@link #startingFrom}) records of it in its provenance: the folder, the
   * {@link #checksums} of its files (given, as the caller has them) and its own provenance as {@code source}.
   */
  public static Map<String, Object> startProvenance(Path dir, Map<String, String> checksums) throws IOException {
    return io.dualrank.util.Provenance.withSource(new java.util.LinkedHashMap<>(Map.of("dir", dir.toString(),
        "checksums", checksums)), dir);
  }

  /**
   * Loads a model directory written by {@link #save}, or the ready model of a Hugging Face directory (see
   * {@link HuggingFaceModel#readyConfig}).
   */
  public static RankerModel load(Path dir) throws IOException {
    if (OnnxDirectory.isOnnxDirectory(dir)) {
      throw OnnxDirectory.inferenceOnly(dir);
    }
    if (HuggingFaceModel.isHuggingFaceDirectory(dir)) {
      return fromHuggingFace(HuggingFaceModel.read(dir));
    }
    return withWeightsOf(readConfig(dir), dir);
  }

  /**
   * What a model directory's scores depend on, for resume keys: the SHA-256 of its config, weights and
   * tokenizer, by name ({@code model.params.sha256}, ...); of a Hugging Face or ONNX graph's directory, every
   * file in it but provenance.json (weights or graph, configs of every module, tokenizer files), by relative path;
   * of an {@link EnsembleModel}, its weight and its members' checksums.
   */
  public static Map<String, String> checksums(Path dir) throws IOException {
    if (EnsembleModel.isEnsembleDirectory(dir)) {
      return EnsembleModel.checksums(dir);
    }
    Map<String, String> sums = new java.util.TreeMap<>();
    boolean onnx = OnnxDirectory.isOnnxDirectory(dir);
    if (onnx || HuggingFaceModel.isHuggingFaceDirectory(dir)) {
      if (!onnx) {
        HuggingFaceModel.read(dir); // a clear error when dir is no importable model
      }
      List<Path> files;
      try (var walk = Files.walk(dir)) {
        files = walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("provenance.json"))
            .sorted().toList();
      }
      for (Path f : files) {
        sums.put("model " + dir.relativize(f) + ".sha256", io.dualrank.util.Checksums.sha256(f));
      }
      return sums;
    }
    readConfig(dir); // a clear error when dir is no model directory
    for (String file : java.util.List.of(CONFIG, WEIGHTS, TOKENIZER)) {
      sums.put("model " + file + ".sha256", io.dualrank.util.Checksums.sha256(dir.resolve(file)));
    }
    return sums;
  }

  private static RankerModel fromHuggingFace(HuggingFaceModel hf) throws IOException {
    RankerConfig config = hf.readyConfig();
    RankerModel model = build(config, hf.tokenizerJson(), NDManager.newBaseManager());
    Map<String, Parameter> byImportedName = new LinkedHashMap<>();
    model.huggingFaceParameters().forEach((name, p) -> byImportedName.put(HuggingFaceModel.withoutBertPrefix(name), p));
    try {
      BertBlocks.copyWeights(byImportedName, hf.weights());
    } catch (IllegalArgumentException e) {
      model.close();
      throw new IOException(hf.dir() + ": " + e.getMessage(), e);
    }
    return model;
  }

  /** The configuration of a model directory written by {@link #save}. */
  public static RankerConfig readConfig(Path dir) throws IOException {
    Path configFile = dir.resolve(CONFIG);
    if (!Files.isRegularFile(configFile)) {
      throw new IOException(dir + ": not a dualrank model directory (no " + CONFIG + ")");
    }
    return JSON.readValue(configFile.toFile(), RankerConfig.class);
  }

  private static RankerModel build(RankerConfig config, byte[] tokenizerJson, NDManager manager) {
    RankerModel model = config.architecture() == Architecture.CROSS_ENCODER
        ? new CrossEncoderRanker(config, tokenizerJson, manager)
        : new DualEncoderRanker(config, tokenizerJson, manager);
    Shape tokens = new Shape(1, 4);
    model.block.initialize(manager, DataType.FLOAT32, model.initializationShapes(tokens));
    return model;
  }

  /** The shapes {@code block.initialize} takes, given the shape of one tokenised batch. */
  abstract Shape[] initializationShapes(Shape tokens);

  /** The BERT encoders of this model (pre-trained weights go into each). */
  abstract List<BertEncoder> encoders();

  /**
   * The parameters under the names of this model's Hugging Face layout: a CA's as {@code
   * BertForSequenceClassification} names them, a DE's as its sentence-transformers modules do (the shared
   * encoder's {@code BertModel} names, the projection as the Dense module's {@code linear.*}).
   *
   * @throws IllegalArgumentException for a DE with separate towers (no such layout)
   */
  abstract Map<String, Parameter> huggingFaceParameters();

  /** The bytes of this model's {@code tokenizer.json}. */
  byte[] tokenizerJson() {
    return tokenizerJson;
  }

  public RankerConfig config() {
    return config;
  }

  /**
   * CA: damps attention between the query and document segments by the additive {@code bias} ≤ 0 (0, the
   * default, is plain self-attention; see {@link io.dualrank.train.TrainSettings#crossSegmentWarmup}).
   *
   * @throws UnsupportedOperationException for a DE given a bias other than 0: its segments never meet
   */
  public void setCrossSegmentBias(float bias) {
    if (bias != 0f) {
      throw new UnsupportedOperationException("only a cross-encoder has attention between query and document");
    }
  }

  /**
   * Sets the number format of the encoders' matrix products (float32 until set; see {@link MatrixPrecision};
   * {@link MatrixPrecision#INT8} quantises the weights as they are now).
   */
  @Override
  public void setMatrixPrecision(MatrixPrecision precision) {
    encoders().forEach(encoder -> encoder.setMatrixPrecision(precision));
  }

  public AbstractBlock block() {
    return block;
  }

  public NDManager manager() {
    return manager;
  }

  /** The trainable parameters, each marked to receive gradients. */
  public List<Parameter> parameters() {
    List<Parameter> out = new ArrayList<>();
    for (var p : block.getParameters()) {
      p.getValue().getArray().setRequiresGradient(true);
      out.add(p.getValue());
    }
    return out;
  }

  /** Writes config, tokenizer and weights into {@code dir} (created if needed), each file atomically. */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    saveWeights(dir.resolve(WEIGHTS));
    AtomicFiles.writeFile(dir.resolve(TOKENIZER), tmp -> Files.write(tmp, tokenizerJson));
    AtomicFiles.writeFile(dir.resolve(CONFIG), tmp -> JSON.writeValue(tmp.toFile(), config));
  }

  /** Writes only the weights, atomically. */
  public void saveWeights(Path file) throws IOException {
    AtomicFiles.writeStream(file, out -> block.saveParameters(new DataOutputStream(out)));
  }

  /** Replaces the weights by those of a file written by {@link #saveWeights}. */
  public void loadWeights(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      block.loadParameters(manager, new DataInputStream(new java.io.BufferedInputStream(in)));
    } catch (ai.djl.MalformedModelException e) {
      throw new IOException(file + ": weights do not fit this model's config: " + e.getMessage(), e);
    }
  }

  /**
   * Training scores {@code [B, n]}: query b against each of its n documents {@code documents.get(b)} (all
   * lists of the same length n). Arrays are created on {@code scratch}; dropout is on when {@code training}.
   */
  public abstract NDArray listScores(ParameterStore ps, NDManager scratch, List<String> queries,
      List<List<String>> documents, boolean training);


  @Override
  public Architecture architecture() {
    return config.architecture();
  }

  @Override
  public void close() {
    tokenizer.close();
    manager.close();
  }
}
