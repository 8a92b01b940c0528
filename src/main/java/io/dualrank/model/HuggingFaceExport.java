package io.dualrank.model;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dualrank.text.TokenizerFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a ranker as a Hugging Face directory that transformers and sentence-transformers load, with the
 * tensor names of {@link RankerModel#huggingFaceParameters} (the names {@link HuggingFaceModel} reads back):
 *
 * <ul>
 *   <li>a CA as {@code BertForSequenceClassification} with one label ({@code classifier} = the head; a CA
 *       without pooler gets the near-identity pooler {@code W = εI, b = 0} and {@code classifier.weight / ε},
 *       ε = {@value #POOLER_SCALE}: {@code tanh(εx)/ε = x (1 − ε²x²/3 + …)}, a relative change below 4e-7 for
 *       hidden states up to 100 in size), and an identity activation for
 *       sentence-transformers' {@code CrossEncoder} (which would otherwise apply a sigmoid);
 *   <li>a DE (shared towers) as sentence-transformers modules: Transformer ({@code BertModel} at the root),
 *       {@code 1_Pooling} (cls or mean), {@code 2_Dense} for a projection (identity activation), {@code
 *       N_Normalize} when normalised. The temperature τ has no place there: ST scores are ⟨e_q, e_d⟩, dualrank's
 *       ⟨e_q, e_d⟩ / τ (the same ranking).
 * </ul>
 *
 * Beside them: tokenizer files, {@code dualrank.json} (the {@link RankerConfig}: max lengths and τ for the
 * way back), and the model as an ONNX graph in {@value #GRAPH} with the output names of transformers' exports
 * ({@link OnnxExport.Outputs#TRANSFORMERS}), where Hugging Face repositories keep theirs and transformers.js
 * looks for it. The caller adds {@code provenance.json}.
 */
public final class HuggingFaceExport {
  /** ε of the near-identity pooler written for a CA without pooler. */
  static final float POOLER_SCALE = 1e-5f;
  private static final String IDENTITY = "torch.nn.modules.linear.Identity";
  /** The ONNX graph's path in the directory. */
  static final String GRAPH = OnnxDirectory.GRAPH_FOLDER + "/" + OnnxExport.FILE;

  private HuggingFaceExport() {}

  /** Writes {@code model} into the directory {@code out} (its files atomically; the directory is created). */
  public static void write(RankerModel model, Path out) throws IOException {
    RankerConfig config = model.config();
    if (config.architecture() == Architecture.CROSS_ENCODER && config.pooling() != Pooling.CLS) {
      throw new IllegalArgumentException("a CA with " + config.pooling() + " pooling has no Hugging Face layout:"
          + " BertForSequenceClassification scores from [CLS]; export it with --format onnx");
    }
    if (config.segmentCosine()) {
      throw new IllegalArgumentException("a CA with a segment-cosine head has no Hugging Face layout:"
          + " BertForSequenceClassification scores from [CLS] alone");
    }
    if (config.poolerActivation() != PoolerActivation.TANH) {
      throw new IllegalArgumentException("a CA whose pooler activation is " + config.poolerActivation()
          + " (a DistilBERT or ELECTRA classification head) has no BertForSequenceClassification layout, whose"
          + " pooler is tanh; export it with --format onnx");
    }
    Map<String, FloatTensor> weights = BertBlocks.values(model.huggingFaceParameters());
    Files.createDirectories(out);
    ObjectNode bertConfig = bertConfig(config.encoder());
    if (config.architecture() == Architecture.CROSS_ENCODER) {
      if (!config.pooler()) {
        weights = withNearIdentityPooler(weights, config.encoder().hiddenSize());
      }
      bertConfig.putArray("architectures").add("BertForSequenceClassification");
      bertConfig.putObject("id2label").put("0", "LABEL_0");
      bertConfig.putObject("label2id").put("LABEL_0", 0);
      bertConfig.put("sbert_ce_default_activation_function", IDENTITY);
      bertConfig.putObject("sentence_transformers").put("activation_fn", IDENTITY);
      SafeTensors.write(out.resolve(HuggingFaceModel.WEIGHTS), weights);
    } else {
      bertConfig.putArray("architectures").add("BertModel");
      writeSentenceTransformerModules(config, weights, out);
    }
    writeJson(out.resolve(HuggingFaceModel.CONFIG), bertConfig);
    writeTokenizerAndConfig(model, out);
    OnnxExport.writeGraph(model, OnnxExport.Outputs.TRANSFORMERS, out.resolve(GRAPH));
  }

  /** Writes the tokenizer files ({@link TokenizerFiles#huggingFaceFiles}) and {@code dualrank.json}. */
  static void writeTokenizerAndConfig(RankerModel model, Path out) throws IOException {
    Files.createDirectories(out);
    for (Map.Entry<String, byte[]> file : TokenizerFiles.huggingFaceFiles(model.tokenizerJson(),
        model.config().maxLength()).entrySet()) {
      io.dualrank.util.AtomicFiles.writeFile(out.resolve(file.getKey()), tmp -> Files.write(tmp, file.getValue()));
    }
    writeJson(out.resolve(HuggingFaceModel.DUALRANK_CONFIG), model.config());
  }

  /** transformers' {@code BertConfig} fields for this encoder. */
  private static ObjectNode bertConfig(BertConfig encoder) {
    ObjectNode c = RankerModel.JSON.createObjectNode();
    c.put("model_type", "bert");
    c.put("vocab_size", encoder.vocabSize());
    c.put("hidden_size", encoder.hiddenSize());
    c.put("num_hidden_layers", encoder.numLayers());
    c.put("num_attention_heads", encoder.numHeads());
    c.put("intermediate_size", encoder.intermediateSize());
    c.put("hidden_act", "gelu");
    c.put("hidden_dropout_prob", encoder.dropout());
    c.put("attention_probs_dropout_prob", encoder.dropout());
    c.put("max_position_embeddings", encoder.maxPositions());
    c.put("type_vocab_size", encoder.typeVocabSize());
    c.put("initializer_range", BertEncoder.INITIALIZER_STD);
    c.put("layer_norm_eps", encoder.layerNormEps());
    c.put("pad_token_id", 0);
    c.put("position_embedding_type", "absolute");
    c.put("torch_dtype", "float32");
    return c;
  }

  /** The CA's weights with pooler {@code εI, 0} and classifier weight divided by ε (see the class comment). */
  private static Map<String, FloatTensor> withNearIdentityPooler(Map<String, FloatTensor> weights, int hidden) {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    weights.forEach((name, tensor) -> {
      if (name.equals("classifier.weight")) {
        out.put(CrossEncoderBlock.BERT_PREFIX + "pooler.dense.weight", scaledIdentity(hidden));
        out.put(CrossEncoderBlock.BERT_PREFIX + "pooler.dense.bias", new FloatTensor(new Shape(hidden), new float[hidden]));
        float[] scaled = tensor.data().clone();
        for (int i = 0; i < scaled.length; i++) {
          scaled[i] /= POOLER_SCALE;
        }
        out.put(name, new FloatTensor(tensor.shape(), scaled));
      } else {
        out.put(name, tensor);
      }
    });
    return out;
  }

  private static FloatTensor scaledIdentity(int size) {
    float[] data = new float[size * size];
    for (int i = 0; i < size; i++) {
      data[i * size + i] = POOLER_SCALE;
    }
    return new FloatTensor(new Shape(size, size), data);
  }

  private static void writeSentenceTransformerModules(RankerConfig config, Map<String, FloatTensor> weights, Path out)
      throws IOException {
    Map<String, FloatTensor> body = new LinkedHashMap<>();
    Map<String, FloatTensor> dense = new LinkedHashMap<>();
    weights.forEach((name, tensor) ->
        (name.startsWith(HuggingFaceModel.DENSE + ".") ? dense : body).put(name, tensor));
    SafeTensors.write(out.resolve(HuggingFaceModel.WEIGHTS), body);

    ArrayNode modules = RankerModel.JSON.createArrayNode();
    addModule(modules, "", "Transformer");
    addModule(modules, "1_Pooling", "Pooling");
    ObjectNode pooling = RankerModel.JSON.createObjectNode();
    pooling.put("word_embedding_dimension", config.encoder().hiddenSize());
    pooling.put("pooling_mode_cls_token", config.pooling() == Pooling.CLS);
    pooling.put("pooling_mode_mean_tokens", config.pooling() == Pooling.MEAN);
    for (String mode : new String[] {"max_tokens", "mean_sqrt_len_tokens", "weightedmean_tokens", "lasttoken"}) {
      pooling.put("pooling_mode_" + mode, false);
    }
    pooling.put("include_prompt", true);
    Files.createDirectories(out.resolve("1_Pooling"));
    writeJson(out.resolve("1_Pooling").resolve(HuggingFaceModel.CONFIG), pooling);
    if (!dense.isEmpty()) {
      addModule(modules, "2_Dense", "Dense");
      ObjectNode denseConfig = RankerModel.JSON.createObjectNode();
      denseConfig.put("in_features", config.encoder().hiddenSize());
      denseConfig.put("out_features", config.projection());
      denseConfig.put("bias", true);
      denseConfig.put("activation_function", IDENTITY);
      Files.createDirectories(out.resolve("2_Dense"));
      writeJson(out.resolve("2_Dense").resolve(HuggingFaceModel.CONFIG), denseConfig);
      SafeTensors.write(out.resolve("2_Dense").resolve(HuggingFaceModel.WEIGHTS), dense);
    }
    if (config.normalize()) {
      String path = modules.size() + "_Normalize";
      addModule(modules, path, "Normalize");
      Files.createDirectories(out.resolve(path));
    }
    writeJson(out.resolve(HuggingFaceModel.MODULES), modules);
    ObjectNode st = RankerModel.JSON.createObjectNode();
    st.put("max_seq_length", config.maxLength());
    st.put("do_lower_case", false);
    writeJson(out.resolve(HuggingFaceModel.SENTENCE_BERT_CONFIG), st);
    ObjectNode stConfig = RankerModel.JSON.createObjectNode();
    stConfig.putObject("prompts");
    stConfig.putNull("default_prompt_name");
    stConfig.put("similarity_fn_name", config.normalize() ? "cosine" : "dot");
    writeJson(out.resolve("config_sentence_transformers.json"), stConfig);
  }

  private static void addModule(ArrayNode modules, String path, String type) {
    int index = modules.size();
    modules.addObject().put("idx", index).put("name", String.valueOf(index)).put("path", path)
        .put("type", "sentence_transformers.models." + type);
  }

  private static void writeJson(Path file, Object value) throws IOException {
    io.dualrank.util.AtomicFiles.writeFile(file, tmp -> RankerModel.JSON.writeValue(tmp.toFile(), value));
  }
}
