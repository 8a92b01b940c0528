package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dualrank.data.Document;
import io.dualrank.text.TokenBatch;
import io.dualrank.text.WordPieceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hugging Face directories written in transformers' layout ({@link TinyHuggingFaceBert}) import as dualrank
 * models that score as the written model does. The reference runs the body as a {@link BertEncoder} (its
 * BertModel names are checked against ONNX Runtime elsewhere) and adds pooler, classifier, pooling, Dense and
 * Normalize here by plain arithmetic on the written tensors.
 */
class HuggingFaceImportTest {
  static final String QUERY = "what is a dual encoder?";
  static final List<String> DOCUMENTS = List.of("the dual encoder ranks documents.",
      "cheap flights to the winter model", "price drops in winter, and a query of the cross encoder");

  @TempDir Path dir;

  @Test
  void sequenceClassificationIsAReadyCrossEncoderWithPoolerAndClassifier() throws IOException {
    Path hf = dir.resolve("ce");
    Map<String, FloatTensor> written = TinyHuggingFaceBert.writeCrossEncoder(hf, 3);
    try (RankerModel model = RankerModel.load(hf)) {
      RankerConfig config = model.config();
      assertEquals(Architecture.CROSS_ENCODER, config.architecture());
      assertTrue(config.pooler());
      assertEquals(32, config.maxLength(), "the tokenizer's model_max_length");
      assertEquals(TinyHuggingFaceBert.VOCAB.size(), config.encoder().vocabSize());
      float[] scores = model.scoreTexts(QUERY, DOCUMENTS);
      float[] expected = referenceScores(TinyHuggingFaceBert.body(written), TinyHuggingFaceBert.head(
          written.get("bert.pooler.dense.weight"), written.get("bert.pooler.dense.bias"), Math::tanh,
          written.get("classifier.weight"), written.get("classifier.bias")), model.tokenizer, config);
      assertArrayEquals(expected, scores, 1e-5f);
    }
  }

  @Test
  void aHuggingFaceDirectorysChecksumsCoverEveryFileButProvenance() throws IOException {
    Path hf = dir.resolve("ce-sums");
    TinyHuggingFaceBert.writeCrossEncoder(hf, 3);
    Map<String, String> sums = RankerModel.checksums(hf);
    assertTrue(sums.containsKey("model model.safetensors.sha256") && sums.containsKey("model config.json.sha256"),
        sums.keySet().toString());
    Files.writeString(hf.resolve("provenance.json"), "{}");
    assertEquals(sums, RankerModel.checksums(hf), "provenance does not change what the model scores");
    TinyHuggingFaceBert.writeCrossEncoder(hf, 4);
    Map<String, String> other = RankerModel.checksums(hf);
    assertTrue(!other.get("model model.safetensors.sha256").equals(sums.get("model model.safetensors.sha256")),
        "other weights, another checksum");
  }

  @Test
  void sentenceTransformersDirectoryIsAReadyDualEncoder() throws IOException {
    Path st = dir.resolve("st");
    Map<String, FloatTensor> body = TinyHuggingFaceBert.bertModelWeights(5);
    Files.createDirectories(st.resolve("1_Pooling"));
    Files.createDirectories(st.resolve("2_Dense"));
    Files.writeString(st.resolve("config.json"), TinyHuggingFaceBert.configJson("BertModel", ""));
    SafeTensors.write(st.resolve("model.safetensors"), body);
    TinyHuggingFaceBert.writeVocab(st);
    Files.writeString(st.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 24, \"do_lower_case\": false}");
    Files.writeString(st.resolve("modules.json"), """
        [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
         {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
         {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
         {"idx": 3, "name": "3", "path": "3_Normalize", "type": "sentence_transformers.models.Normalize"}]""");
    Files.writeString(st.resolve("1_Pooling/config.json"), """
        {"word_embedding_dimension": 16, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true,
         "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false,
         "pooling_mode_weightedmean_tokens": false, "pooling_mode_lasttoken": false, "include_prompt": true}""");
    Files.writeString(st.resolve("2_Dense/config.json"), """
        {"in_features": 16, "out_features": 8, "bias": true,
         "activation_function": "torch.nn.modules.linear.Identity"}""");
    FloatTensor denseWeight = TinyHuggingFaceBert.sequenceClassificationWeights(9).get("bert.encoder.layer.0.attention.self.query.weight");
    FloatTensor dense = new FloatTensor(new Shape(8, 16), java.util.Arrays.copyOf(denseWeight.data(), 128));
    FloatTensor denseBias = new FloatTensor(new Shape(8), java.util.Arrays.copyOf(denseWeight.data(), 8));
    SafeTensors.write(st.resolve("2_Dense/model.safetensors"), Map.of("linear.weight", dense, "linear.bias", denseBias));

    try (RankerModel model = RankerModel.load(st)) {
      RankerConfig config = model.config();
      assertEquals(Architecture.DUAL_ENCODER, config.architecture());
      assertEquals(Pooling.MEAN, config.pooling());
      assertEquals(8, config.projection());
      assertTrue(config.normalize());
      assertEquals(24, config.maxLength());
      DualEncoderRanker de = (DualEncoderRanker) model;
      float[][] embeddings = de.encodeDocuments(DOCUMENTS.stream().map(t -> new Document("d", "", t)).toList());
      try (NDManager manager = NDManager.newBaseManager()) {
        BertEncoderRun encoder = new BertEncoderRun(config.encoder(), TinyHuggingFaceBert.body(body), manager);
        for (int i = 0; i < DOCUMENTS.size(); i++) {
          TokenBatch tokens = de.tokenizer.encode(List.of(DOCUMENTS.get(i)), config.maxLength());
          float[][] hidden = encoder.hidden(tokens);
          float[] mean = new float[16];
          for (float[] h : hidden) {
            for (int j = 0; j < 16; j++) {
              mean[j] += h[j] / hidden.length;
            }
          }
          float[] e = TinyHuggingFaceBert.affine(dense, denseBias, mean);
          double norm = Math.sqrt(DualEncoderRanker.dot(e, e));
          for (int j = 0; j < e.length; j++) {
            e[j] /= norm;
          }
          assertArrayEquals(e, embeddings[i], 1e-5f, "document " + i);
        }
      }
    }
  }

  @Test
  void bertBodyInitialisesNewModels() throws IOException {
    Path hf = dir.resolve("ce");
    Map<String, FloatTensor> written = TinyHuggingFaceBert.writeCrossEncoder(hf, 4);
    EncoderSpec spec = EncoderSpec.parse(hf.toString());
    assertEquals(hf.toAbsolutePath().toString(), spec.init());
    try (RankerModel model = RankerModel.create(spec.dualEncoder(8, 24, Pooling.CLS, true, 4, false, 1f, false), 1)) {
      Map<String, FloatTensor> expected = TinyHuggingFaceBert.body(written);
      model.encoders().get(0).huggingFaceParameters().forEach((name, p) ->
          assertArrayEquals(expected.get(name).data(), p.getArray().toFloatArray(), name));
    }
  }

  @Test
  void legacyCheckpointNamesLoadAsTransformersRenamesThem() throws IOException {
    // bert-base-uncased's own checkpoint: BertForMaskedLM, LayerNorm.gamma / LayerNorm.beta, an MLM head
    Path hf = dir.resolve("mlm");
    Files.createDirectories(hf);
    Files.writeString(hf.resolve("config.json"), TinyHuggingFaceBert.configJson("BertForMaskedLM", ""));
    Map<String, FloatTensor> body = TinyHuggingFaceBert.body(TinyHuggingFaceBert.bertModelWeights(8));
    Map<String, FloatTensor> legacy = new java.util.LinkedHashMap<>();
    body.forEach((name, t) -> legacy.put("bert." + name.replace("LayerNorm.weight", "LayerNorm.gamma")
        .replace("LayerNorm.bias", "LayerNorm.beta"), t));
    legacy.put("cls.predictions.bias", new FloatTensor(new Shape(TinyHuggingFaceBert.VOCAB.size()),
        new float[TinyHuggingFaceBert.VOCAB.size()]));
    SafeTensors.write(hf.resolve("model.safetensors"), legacy);
    TinyHuggingFaceBert.writeVocab(hf);
    try (RankerModel model = RankerModel.create(EncoderSpec.parse(hf.toString()).crossEncoder(8, 24, Pooling.CLS), 1)) {
      model.encoders().get(0).huggingFaceParameters().forEach((name, p) ->
          assertArrayEquals(body.get(name).data(), p.getArray().toFloatArray(), name));
    }
  }

  @Test
  void refusesWhatIsNotBertNamingFileAndField() throws IOException {
    Path roberta = dir.resolve("roberta");
    TinyHuggingFaceBert.writeCrossEncoder(roberta, 1);
    Files.writeString(roberta.resolve("config.json"),
        TinyHuggingFaceBert.configJson("RobertaModel", "").replace("\"model_type\": \"bert\"", "\"model_type\": \"roberta\""));
    IOException e = assertThrows(IOException.class, () -> RankerModel.load(roberta));
    assertTrue(e.getMessage().startsWith(roberta.toAbsolutePath().resolve("config.json") + ": model_type is \"roberta\""),
        e.getMessage());

    Path twoLabels = dir.resolve("two");
    TinyHuggingFaceBert.writeCrossEncoder(twoLabels, 1);
    Files.writeString(twoLabels.resolve("config.json"), TinyHuggingFaceBert.configJson("BertForSequenceClassification",
        "  \"id2label\": {\"0\": \"NO\", \"1\": \"YES\"},\n"));
    e = assertThrows(IOException.class, () -> RankerModel.load(twoLabels));
    assertTrue(e.getMessage().contains("with 2 labels"), e.getMessage());

    Path relu = dir.resolve("relu");
    TinyHuggingFaceBert.writeCrossEncoder(relu, 1);
    Files.writeString(relu.resolve("config.json"), TinyHuggingFaceBert.configJson("BertModel", "")
        .replace("\"hidden_act\": \"gelu\"", "\"hidden_act\": \"relu\""));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> EncoderSpec.parse(relu.toString()));
    assertTrue(bad.getMessage().endsWith("config.json: field hidden_act is \"relu\"; only \"gelu\" is supported"),
        bad.getMessage());

    Path bare = dir.resolve("bare");
    TinyHuggingFaceBert.writeCrossEncoder(bare, 1);
    Files.writeString(bare.resolve("config.json"), TinyHuggingFaceBert.configJson("BertModel", ""));
    e = assertThrows(IOException.class, () -> RankerModel.load(bare));
    assertTrue(e.getMessage().contains("architectures [\"BertModel\"] (model_type bert) has no ranking head"),
        e.getMessage());
  }

  @Test
  void tokenizerWithoutLimitLeavesThePositionsLimit() throws IOException {
    Path unlimited = dir.resolve("unlimited");
    TinyHuggingFaceBert.writeCrossEncoder(unlimited, 1);
    Files.writeString(unlimited.resolve("tokenizer_config.json"), "{\"model_max_length\": 1000000000000000019884624838656}");
    try (RankerModel model = RankerModel.load(unlimited)) {
      assertEquals(TinyHuggingFaceBert.POSITIONS, model.config().maxLength(), "no tokenizer limit: the positions'");
    }

  }

  /**
   * The scores of {@link #DOCUMENTS} for {@link #QUERY}: {@code head} of the [CLS] state of each pair row, run
   * through a BertEncoder with the {@code BertModel} weights {@code body}.
   */
  static float[] referenceScores(Map<String, FloatTensor> body, ToDoubleFunction<float[]> head,
      WordPieceTokenizer tokenizer, RankerConfig config) {
    float[] scores = new float[DOCUMENTS.size()];
    try (NDManager manager = NDManager.newBaseManager()) {
      BertEncoderRun encoder = new BertEncoderRun(config.encoder(), body, manager);
      for (int i = 0; i < DOCUMENTS.size(); i++) {
        TokenBatch tokens = tokenizer.encodePairs(List.of(QUERY), List.of(DOCUMENTS.get(i)), config.maxQueryLength(),
            config.maxLength());
        scores[i] = (float) head.applyAsDouble(encoder.hidden(tokens)[0]);
      }
    }
    return scores;
  }

  /** A BertEncoder with given BertModel weights, giving one row's last hidden states of its real tokens. */
  private static final class BertEncoderRun {
    private final BertEncoder encoder;
    private final NDManager manager;

    BertEncoderRun(BertConfig config, Map<String, FloatTensor> body, NDManager manager) {
      this.manager = manager;
      encoder = new BertEncoder(config).initializeParameters(manager);
      assertEquals(java.util.Set.of(), encoder.loadHuggingFaceWeights(body));
    }

    float[][] hidden(TokenBatch tokens) {
      try (NDManager scratch = manager.newSubManager()) {
        NDArray h = encoder.forward(new ParameterStore(manager, false), tokens.toNDList(scratch), false).head();
        int width = (int) h.getShape().get(2);
        float[] flat = h.toFloatArray();
        float[][] rows = new float[tokens.tokenCount(0)][width];
        for (int t = 0; t < rows.length; t++) {
          System.arraycopy(flat, t * width, rows[t], 0, width);
        }
        return rows;
      }
    }
  }
}
