package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualrank.text.TokenBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export to the Hugging Face layouts and import back: the same scores (max |diff| < 1e-5) and the tensor names
 * and files transformers and sentence-transformers expect.
 */
class HuggingFaceExportTest {
  static final String QUERY = "what is a dual encoder and why is it cheap?";
  static final List<String> DOCUMENTS = List.of(
      "A dual-encoder embeds queries and documents separately; relevance is the inner product.",
      "Prices drop in winter.", "word ".repeat(80), "Cross-attention reads the query and the document together.");

  @TempDir Path dir;

  @Test
  void crossEncoderRoundTripScoresIdentically() throws IOException {
    Path out = dir.resolve("ca");
    try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(), 11)) {
      HuggingFaceExport.write(model, out);
      float[] expected = model.scoreTexts(QUERY, DOCUMENTS);
      try (RankerModel back = RankerModel.load(out)) {
        assertEquals(Architecture.CROSS_ENCODER, back.config().architecture());
        assertEquals(model.config().maxLength(), back.config().maxLength());
        assertEquals(model.config().maxQueryLength(), back.config().maxQueryLength());
        assertTrue(back.config().pooler(), "the near-identity pooler");
        float diff = maxDiff(expected, back.scoreTexts(QUERY, DOCUMENTS));
        System.out.printf("hf round trip, tiny CA: max |diff| = %.3g over %d scores%n", diff, expected.length);
        assertTrue(diff < 1e-5, "max |diff| " + diff);
      }
    }
    Set<String> names = SafeTensors.read(out.resolve("model.safetensors")).keySet();
    assertTrue(names.containsAll(List.of("bert.embeddings.word_embeddings.weight",
        "bert.encoder.layer.1.attention.self.query.weight", "bert.encoder.layer.1.output.LayerNorm.bias",
        "bert.pooler.dense.weight", "bert.pooler.dense.bias", "classifier.weight", "classifier.bias")), names.toString());
    JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
    assertEquals("BertForSequenceClassification", config.path("architectures").get(0).asText());
    assertEquals(1, config.path("id2label").size());
    assertEquals(32, config.path("hidden_size").asInt());
    JsonNode tokenizer = new ObjectMapper().readTree(out.resolve("tokenizer.json").toFile());
    assertTrue(tokenizer.path("padding").isNull() && tokenizer.path("truncation").isNull());
    assertEquals("[CLS]", Files.readAllLines(out.resolve("vocab.txt")).get(101));
  }

  @Test
  void crossEncoderWithPoolerRoundTripsItsPooler() throws IOException {
    Path hf = dir.resolve("hf");
    TinyHuggingFaceBert.writeCrossEncoder(hf, 2);
    Path out = dir.resolve("again");
    try (RankerModel model = RankerModel.load(hf)) {
      HuggingFaceExport.write(model, out);
      Map<String, FloatTensor> written = SafeTensors.read(hf.resolve("model.safetensors"));
      Map<String, FloatTensor> exported = SafeTensors.read(out.resolve("model.safetensors"));
      assertEquals(written.keySet(), exported.keySet());
      written.forEach((name, t) -> assertTrue(java.util.Arrays.equals(t.data(), exported.get(name).data()), name));
      try (RankerModel back = RankerModel.load(out)) {
        assertEquals(0f, maxDiff(model.scoreTexts(QUERY, DOCUMENTS), back.scoreTexts(QUERY, DOCUMENTS)));
      }
    }
  }

  @Test
  void dualEncoderRoundTripScoresIdenticallyAsSentenceTransformers() throws IOException {
    Path out = dir.resolve("de");
    RankerConfig config = TinyModels.dualEncoder(Pooling.MEAN, true, 8, true, 0.05f, false);
    try (RankerModel model = RankerModel.create(config, 12)) {
      HuggingFaceExport.write(model, out);
      float[] expected = model.scoreTexts(QUERY, DOCUMENTS);
      try (RankerModel back = RankerModel.load(out)) {
        RankerConfig c = back.config();
        assertEquals(List.of(Pooling.MEAN, 8, true, 0.05f, 16, 48),
            List.of(c.pooling(), c.projection(), c.normalize(), c.temperature(), c.maxQueryLength(), c.maxLength()));
        float diff = maxDiff(expected, back.scoreTexts(QUERY, DOCUMENTS));
        System.out.printf("hf round trip, tiny DE: max |diff| = %.3g over %d scores%n", diff, expected.length);
        assertTrue(diff < 1e-5, "max |diff| " + diff);
      }
    }
    JsonNode modules = new ObjectMapper().readTree(out.resolve("modules.json").toFile());
    assertEquals(List.of("", "1_Pooling", "2_Dense", "3_Normalize"),
        List.of(modules.get(0).path("path").asText(), modules.get(1).path("path").asText(),
            modules.get(2).path("path").asText(), modules.get(3).path("path").asText()));
    assertEquals(Set.of("linear.weight", "linear.bias"), SafeTensors.read(out.resolve("2_Dense/model.safetensors")).keySet());
    Set<String> body = SafeTensors.read(out.resolve("model.safetensors")).keySet();
    assertTrue(body.contains("embeddings.word_embeddings.weight") && body.stream().noneMatch(n -> n.startsWith("bert.")),
        body.toString());
    assertTrue(Files.readString(out.resolve("1_Pooling/config.json")).contains("\"pooling_mode_mean_tokens\" : true"));
  }

  /**
   * {@code onnx/model.onnx} beside the weights, with transformers' output names, run by ONNX Runtime: a CA's
   * {@code logits} [B, 1] are its scores, a DE's {@code sentence_embedding} its embeddings and {@code
   * last_hidden_state} is [B, L, H].
   */
  @Test
  void theOnnxGraphBesideTheWeightsHasTransformersOutputs() throws Exception {
    try (CrossEncoderRanker ca = (CrossEncoderRanker) RankerModel.create(TinyModels.crossEncoder(), 11)) {
      HuggingFaceExport.write(ca, dir.resolve("ca"));
      OnnxExportTest.assertSameScores(ca, Files.readAllBytes(dir.resolve("ca/onnx/model.onnx")), "logits",
          "hf export's onnx/model.onnx, tiny CA logits");
    }
    RankerConfig config = TinyModels.dualEncoder(Pooling.MEAN, true, 8, true, 0.05f, false);
    try (DualEncoderRanker de = (DualEncoderRanker) RankerModel.create(config, 12)) {
      HuggingFaceExport.write(de, dir.resolve("de"));
      byte[] graph = Files.readAllBytes(dir.resolve("de/onnx/model.onnx"));
      OnnxExportTest.assertSameEmbeddings(de, graph, "sentence_embedding",
          "hf export's onnx/model.onnx, tiny DE sentence_embedding");
      TokenBatch batch = de.tokenizer.encode(DOCUMENTS, config.maxLength());
      assertEquals(batch.size() * batch.length() * config.encoder().hiddenSize(),
          OnnxExportTest.run(graph, batch, "last_hidden_state").length);
    }
  }

  @Test
  void separateTowersAreRefused() {
    try (RankerModel model = RankerModel.create(TinyModels.dualEncoder(Pooling.CLS, false, 0, false, 1f, false), 1)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> HuggingFaceExport.write(model, dir.resolve("x")));
      assertTrue(e.getMessage().contains("separate towers"), e.getMessage());
      assertFalse(Files.exists(dir.resolve("x")));
    }
  }

  @Test
  void aMeanPooledCaIsRefused() {
    try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(Pooling.MEAN), 1)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> HuggingFaceExport.write(model, dir.resolve("x")));
      assertTrue(e.getMessage().contains("MEAN pooling has no Hugging Face layout"), e.getMessage());
      assertFalse(Files.exists(dir.resolve("x")));
    }
  }

  static float maxDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
