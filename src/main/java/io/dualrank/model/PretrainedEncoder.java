package io.dualrank.model;

import ai.djl.ndarray.NDManager;
import io.dualrank.text.WordPieceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Pre-trained BERT encoders shipped as class-path resources (ONNX model + {@code tokenizer.json}) by the
 * langchain4j embedding jars. The encoder's configuration is derived from the weights' shapes.
 */
public enum PretrainedEncoder {
  /** sentence-transformers/all-MiniLM-L6-v2: 6 layers, H = 384, 12 heads. */
  ALL_MINILM_L6_V2("all-minilm-l6-v2", "/all-minilm-l6-v2.onnx", "/all-minilm-l6-v2-tokenizer.json", 12),
  /** BAAI/bge-small-en-v1.5: 12 layers, H = 384, 12 heads. */
  BGE_SMALL_EN_V15("bge-small-en-v15", "/bge-small-en-v1.5.onnx", "/bge-small-en-v1.5-tokenizer.json", 12),
  /** intfloat/e5-small-v2: 12 layers, H = 384, 12 heads. */
  E5_SMALL_V2("e5-small-v2", "/e5-small-v2.onnx", "/e5-small-v2-tokenizer.json", 12);

  private final String id;
  private final String onnxResource;
  private final String tokenizerResource;
  private final int numHeads;
  private BertConfig config;

  PretrainedEncoder(String id, String onnxResource, String tokenizerResource, int numHeads) {
    this.id = id;
    this.onnxResource = onnxResource;
    this.tokenizerResource = tokenizerResource;
    this.numHeads = numHeads;
  }

  /** The encoder with this id, e.g. {@code all-minilm-l6-v2}. */
  public static PretrainedEncoder byId(String id) {
    return find(id).orElseThrow(() ->
        new IllegalArgumentException("unknown encoder " + id + "; known: " + Arrays.toString(values())));
  }

  /** The encoder with this id, if there is one. */
  public static java.util.Optional<PretrainedEncoder> find(String id) {
    return Arrays.stream(values()).filter(e -> e.id.equals(id)).findFirst();
  }

  public String id() {
    return id;
  }

  public String onnxResource() {
    return onnxResource;
  }

  /** Opens the ONNX model resource; the caller closes it. */
  public InputStream openOnnx() {
    InputStream in = PretrainedEncoder.class.getResourceAsStream(onnxResource);
    if (in == null) {
      throw new IllegalStateException("missing class-path resource " + onnxResource);
    }
    return in;
  }

  /** A new tokenizer for this encoder; the caller closes it. */
  public WordPieceTokenizer tokenizer() {
    return WordPieceTokenizer.fromResource(tokenizerResource);
  }

  /** The bytes of this encoder's {@code tokenizer.json}, to store beside a model's weights. */
  public byte[] tokenizerJson() {
    try (InputStream in = PretrainedEncoder.class.getResourceAsStream(tokenizerResource)) {
      if (in == null) {
        throw new IllegalStateException("missing class-path resource " + tokenizerResource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The weights under HuggingFace names, read from the ONNX model. */
  public Map<String, FloatTensor> huggingFaceWeights() {
    try (InputStream in = openOnnx()) {
      return OnnxInitializers.read(in).huggingFaceWeights();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The encoder's configuration, read from its weights' shapes on first use. */
  public synchronized BertConfig config() {
    if (config == null) {
      config = BertConfig.fromHuggingFaceWeights(huggingFaceWeights(), numHeads);
    }
    return config;
  }

  /** Builds the encoder with its pre-trained weights; its parameters live in {@code manager}. */
  public BertEncoder load(NDManager manager) {
    Map<String, FloatTensor> weights = huggingFaceWeights();
    BertEncoder encoder = new BertEncoder(BertConfig.fromHuggingFaceWeights(weights, numHeads));
    encoder.initializeParameters(manager);
    Set<String> unused = encoder.loadHuggingFaceWeights(weights);
    if (!unused.isEmpty()) {
      throw new IllegalStateException(id + ": weights the encoder does not use: " + unused);
    }
    return encoder;
  }

  @Override
  public String toString() {
    return id;
  }
}
