package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import io.dualrank.data.Document;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DistilBERT and ELECTRA checkpoints, written with the tensor names and config fields of transformers'
 * {@code DistilBertModel} / {@code DistilBertForSequenceClassification} and {@code ElectraForSequenceClassification}
 * from a tiny random BERT's values, import as that BERT: the same body tensors, a DistilBERT sentence-transformers
 * DE embeds as the BERT one (whose import HuggingFaceImportTest checks by hand), and the classifiers score as the
 * BERT body plus their heads done by hand ({@code pre_classifier}, ReLU, {@code classifier}; {@code
 * classifier.dense}, exact gelu, {@code classifier.out_proj}). Two labels, bare bodies as ready models and ELECTRA
 * with narrower embeddings are refused, naming config.json.
 */
class HuggingFaceBertLikesTest {
  private static final List<Document> DOCUMENTS = List.of(new Document("d", "", "the dual encoder ranks documents."),
      new Document("d", "", "what is the price of flights in winter?"));

  @TempDir Path dir;

  /** The tiny BERT's body with zero token-type embeddings (DistilBERT has none). */
  private static Map<String, FloatTensor> bertBody() {
    Map<String, FloatTensor> body = TinyHuggingFaceBert.body(TinyHuggingFaceBert.bertModelWeights(21));
    body.put("embeddings.token_type_embeddings.weight",
        new FloatTensor(new Shape(2, TinyHuggingFaceBert.HIDDEN), new float[2 * TinyHuggingFaceBert.HIDDEN]));
    return body;
  }

  /** The body under DistilBertModel's names ({@code prefix} + ..., no token types). */
  private static Map<String, FloatTensor> distilBertNames(Map<String, FloatTensor> bert, String prefix) {
    Map<String, String> layer = Map.of("attention.self.query", "attention.q_lin", "attention.self.key",
        "attention.k_lin", "attention.self.value", "attention.v_lin", "attention.output.dense", "attention.out_lin",
        "attention.output.LayerNorm", "sa_layer_norm", "intermediate.dense", "ffn.lin1", "output.dense", "ffn.lin2",
        "output.LayerNorm", "output_layer_norm");
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    bert.forEach((name, tensor) -> {
      if (name.startsWith("embeddings.token_type_embeddings")) {
        return;
      }
      String renamed = name;
      if (name.startsWith("encoder.layer.")) {
        String[] parts = name.split("\\.", 4); // encoder, layer, N, rest
        String rest = parts[3];
        String module = rest.substring(0, rest.lastIndexOf('.'));
        renamed = "transformer.layer." + parts[2] + "." + layer.get(module) + rest.substring(module.length());
      }
      out.put(prefix + renamed, tensor);
    });
    return out;
  }

  private static String distilBertConfig(String architecture) {
    return "{\n  \"activation\": \"gelu\",\n  \"architectures\": [\"" + architecture + "\"],\n"
        + "  \"attention_dropout\": 0.1,\n  \"dim\": " + TinyHuggingFaceBert.HIDDEN + ",\n  \"dropout\": 0.1,\n"
        + "  \"hidden_dim\": " + TinyHuggingFaceBert.INTERMEDIATE + ",\n  \"initializer_range\": 0.02,\n"
        + "  \"max_position_embeddings\": " + TinyHuggingFaceBert.POSITIONS + ",\n  \"model_type\": \"distilbert\",\n"
        + "  \"n_heads\": " + TinyHuggingFaceBert.HEADS + ",\n  \"n_layers\": " + TinyHuggingFaceBert.LAYERS + ",\n"
        + "  \"pad_token_id\": 0,\n  \"qa_dropout\": 0.1,\n  \"seq_classif_dropout\": 0.2,\n"
        + "  \"sinusoidal_pos_embds\": false,\n  \"tie_weights_\": true,\n  \"torch_dtype\": \"float32\",\n"
        + "  \"transformers_version\": \"4.46.3\",\n  \"vocab_size\": " + TinyHuggingFaceBert.VOCAB.size() + "\n}\n";
  }

  private static String electraConfig(String architecture, int embeddingSize) {
    return TinyHuggingFaceBert.configJson(architecture, "  \"embedding_size\": " + embeddingSize + ",\n"
        + "  \"summary_activation\": \"gelu\",\n  \"summary_last_dropout\": 0.1,\n  \"summary_type\": \"first\",\n"
        + "  \"summary_use_proj\": true,\n  \"id2label\": {\"0\": \"LABEL_0\"},\n  \"label2id\": {\"LABEL_0\": 0},\n")
        .replace("\"model_type\": \"bert\"", "\"model_type\": \"electra\"");
  }

  /** A sentence-transformers DE (mean pooling) over the given Transformer files. */
  private Path sentenceTransformer(String name, String config, Map<String, FloatTensor> weights) throws IOException {
    Path st = dir.resolve(name);
    Files.createDirectories(st.resolve("1_Pooling"));
    Files.writeString(st.resolve("config.json"), config);
    SafeTensors.write(st.resolve("model.safetensors"), weights);
    TinyHuggingFaceBert.writeVocab(st);
    Files.writeString(st.resolve("modules.json"), """
        [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
         {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]""");
    Files.writeString(st.resolve("1_Pooling/config.json"), """
        {"word_embedding_dimension": 16, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true}""");
    return st;
  }

  @Test
  void distilBertSentenceTransformerEmbedsAsTheSameBert() throws IOException {
    Map<String, FloatTensor> bert = bertBody();
    Path bertDir = sentenceTransformer("bert", TinyHuggingFaceBert.configJson("BertModel", ""), bert);
    Path distilDir = sentenceTransformer("distilbert", distilBertConfig("DistilBertModel"), distilBertNames(bert, ""));
    try (DualEncoderRanker reference = (DualEncoderRanker) RankerModel.load(bertDir);
        DualEncoderRanker distil = (DualEncoderRanker) RankerModel.load(distilDir)) {
      assertEquals(reference.config().encoder(), distil.config().encoder());
      float[][] expected = reference.encodeDocuments(DOCUMENTS);
      float[][] actual = distil.encodeDocuments(DOCUMENTS);
      for (int i = 0; i < expected.length; i++) {
        assertArrayEquals(expected[i], actual[i], 1e-6f, "document " + i);
      }
    }
  }

  /** A DistilBertForSequenceClassification directory (one label) over {@code bert}'s body, head as given. */
  private Path distilBertClassifier(Map<String, FloatTensor> bert, Map<String, FloatTensor> head) throws IOException {
    Path distil = dir.resolve("distil-ce");
    Files.createDirectories(distil);
    Map<String, FloatTensor> weights = distilBertNames(bert, "distilbert.");
    weights.put("pre_classifier.weight", head.get("bert.pooler.dense.weight"));
    weights.put("pre_classifier.bias", head.get("bert.pooler.dense.bias"));
    weights.put("classifier.weight", head.get("classifier.weight"));
    weights.put("classifier.bias", head.get("classifier.bias"));
    SafeTensors.write(distil.resolve("model.safetensors"), weights);
    Files.writeString(distil.resolve("config.json"), distilBertConfig("DistilBertForSequenceClassification")
        .replace("  \"dim\"", "  \"id2label\": {\"0\": \"LABEL_0\"},\n  \"label2id\": {\"LABEL_0\": 0},\n  \"dim\""));
    TinyHuggingFaceBert.writeVocab(distil);
    return distil;
  }

  /** An ElectraForSequenceClassification directory (one label) over {@code body}, head as given. */
  private Path electraClassifier(Map<String, FloatTensor> body, Map<String, FloatTensor> head) throws IOException {
    Path electra = dir.resolve("electra-ce");
    Files.createDirectories(electra);
    Map<String, FloatTensor> weights = new LinkedHashMap<>();
    body.forEach((n, t) -> weights.put("electra." + n, t));
    weights.put("classifier.dense.weight", head.get("bert.pooler.dense.weight"));
    weights.put("classifier.dense.bias", head.get("bert.pooler.dense.bias"));
    weights.put("classifier.out_proj.weight", head.get("classifier.weight"));
    weights.put("classifier.out_proj.bias", head.get("classifier.bias"));
    SafeTensors.write(electra.resolve("model.safetensors"), weights);
    Files.writeString(electra.resolve("config.json"), electraConfig("ElectraForSequenceClassification", 16));
    TinyHuggingFaceBert.writeVocab(electra);
    return electra;
  }

  @Test
  void distilBertClassifierIsAReadyCrossEncoderWithReluHead() throws IOException {
    Map<String, FloatTensor> bert = bertBody();
    Map<String, FloatTensor> head = TinyHuggingFaceBert.sequenceClassificationWeights(31);
    Path distil = distilBertClassifier(bert, head);
    assertReadyCrossEncoder(distil, bert, TinyHuggingFaceBert.head(head.get("bert.pooler.dense.weight"),
        head.get("bert.pooler.dense.bias"), x -> Math.max(x, 0), head.get("classifier.weight"),
        head.get("classifier.bias")), PoolerActivation.RELU);
  }

  @Test
  void electraClassifierIsAReadyCrossEncoderWithGeluHead() throws IOException {
    Map<String, FloatTensor> body = TinyHuggingFaceBert.body(TinyHuggingFaceBert.bertModelWeights(22));
    Map<String, FloatTensor> head = TinyHuggingFaceBert.sequenceClassificationWeights(32);
    Path electra = electraClassifier(body, head);
    assertReadyCrossEncoder(electra, body, TinyHuggingFaceBert.head(head.get("bert.pooler.dense.weight"),
        head.get("bert.pooler.dense.bias"), x -> x * 0.5 * (1 + Erf.erf(x / Math.sqrt(2))),
        head.get("classifier.weight"), head.get("classifier.bias")), PoolerActivation.GELU);
  }

  /**
   * {@code checkpoint} loads as a CA with {@code activation} that scores as the BertEncoder of {@code body} and
   * {@code head} by hand (< 1e-5), in DJL, saved and loaded as a dualrank model, and as its ONNX export in ONNX
   * Runtime (< 1e-4); its export as BertForSequenceClassification is refused naming the activation; its body
   * starts a model.
   */
  private void assertReadyCrossEncoder(Path checkpoint, Map<String, FloatTensor> body, ToDoubleFunction<float[]> head,
      PoolerActivation activation) throws IOException {
    String query = HuggingFaceImportTest.QUERY;
    List<String> documents = HuggingFaceImportTest.DOCUMENTS;
    try (RankerModel model = RankerModel.load(checkpoint)) {
      RankerConfig config = model.config();
      assertEquals(Architecture.CROSS_ENCODER, config.architecture());
      assertTrue(config.pooler());
      assertEquals(activation, config.poolerActivation());
      float[] expected = HuggingFaceImportTest.referenceScores(body, head, model.tokenizer, config);
      float[] scores = model.scoreTexts(query, documents);
      float diff = HuggingFaceExportTest.maxDiff(expected, scores);
      System.out.printf("%s vs BertEncoder + head by hand: max |diff| = %.3g%n", checkpoint.getFileName(), diff);
      assertTrue(diff < 1e-5, "max |diff| " + diff);

      Path saved = dir.resolve(checkpoint.getFileName() + "-saved");
      model.save(saved);
      try (RankerModel back = RankerModel.load(saved)) {
        assertEquals(config, back.config());
        assertArrayEquals(scores, back.scoreTexts(query, documents), 0f);
      }

      Path onnx = dir.resolve(checkpoint.getFileName() + "-onnx");
      OnnxExport.write(model, onnx);
      try (ScoringModel graph = ScoringModel.load(onnx)) {
        float onnxDiff = HuggingFaceExportTest.maxDiff(scores, graph.scoreTexts(query, documents));
        System.out.printf("%s ONNX export in ONNX Runtime vs DJL: max |diff| = %.3g%n", checkpoint.getFileName(),
            onnxDiff);
        assertTrue(onnxDiff < 1e-4, "max |diff| " + onnxDiff);
      }

      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> HuggingFaceExport.write(model, dir.resolve(checkpoint.getFileName() + "-hf")));
      assertTrue(e.getMessage().startsWith("a CA whose pooler activation is " + activation), e.getMessage());
    }
    EncoderSpec spec = EncoderSpec.parse(checkpoint.toString());
    try (RankerModel model = RankerModel.create(spec.crossEncoder(8, 24, Pooling.CLS), 1)) {
      model.encoders().get(0).huggingFaceParameters().forEach((name, p) ->
          assertArrayEquals(body.get(name).data(), p.getArray().toFloatArray(), checkpoint + " " + name));
    }
  }

  @Test
  void classifiersWithTwoLabelsAreRefusedNamingTheirArchitecture() throws IOException {
    Path electra = electraClassifier(TinyHuggingFaceBert.body(TinyHuggingFaceBert.bertModelWeights(22)),
        TinyHuggingFaceBert.sequenceClassificationWeights(32));
    Files.writeString(electra.resolve("config.json"), electraConfig("ElectraForSequenceClassification", 16)
        .replace("\"id2label\": {\"0\": \"LABEL_0\"}", "\"id2label\": {\"0\": \"NO\", \"1\": \"YES\"}"));
    IOException e = assertThrows(IOException.class, () -> RankerModel.load(electra));
    assertEquals(electra.toAbsolutePath().resolve("config.json") + ": ElectraForSequenceClassification with 2 labels"
        + " (id2label / num_labels); a ranker needs exactly 1 (one score)", e.getMessage());
  }

  @Test
  void bareDistilBertIsRefusedAsAReadyModelNamingItsClassifier() throws IOException {
    Path bare = sentenceTransformer("bare", distilBertConfig("DistilBertModel"), distilBertNames(bertBody(), ""));
    Files.delete(bare.resolve("modules.json"));
    IOException e = assertThrows(IOException.class, () -> RankerModel.load(bare));
    assertTrue(e.getMessage().startsWith(bare.toAbsolutePath().resolve("config.json")
        + ": architectures [\"DistilBertModel\"] (model_type distilbert) has no ranking head"), e.getMessage());
    assertTrue(e.getMessage().contains("give a DistilBertForSequenceClassification with 1 label"), e.getMessage());
  }

  @Test
  void electraWithNarrowerEmbeddingsIsRefusedNamingTheField() throws IOException {
    Path small = dir.resolve("electra-small");
    Files.createDirectories(small);
    Files.writeString(small.resolve("config.json"), electraConfig("ElectraModel", 8));
    SafeTensors.write(small.resolve("model.safetensors"), TinyHuggingFaceBert.body(TinyHuggingFaceBert.bertModelWeights(3)));
    TinyHuggingFaceBert.writeVocab(small);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncoderSpec.parse(small.toString()));
    assertTrue(e.getMessage().endsWith("config.json: field embedding_size is 8, not hidden_size 16; dualrank reads only"
        + " ELECTRA models whose embeddings are as wide as the encoder (no embeddings_project), e.g. the base and"
        + " large ones"), e.getMessage());
  }
}
