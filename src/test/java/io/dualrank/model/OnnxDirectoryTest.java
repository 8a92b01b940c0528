package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.cli.ModelLoader;
import io.dualrank.data.Document;
import io.dualrank.model.OnnxGraphWriter.Attribute;
import io.dualrank.text.WordPieceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Directories with an ONNX graph run as is: the jar's all-MiniLM-L6-v2 graph (a transformers export: {@code
 * last_hidden_state}) embeds as the project's pre-trained MiniLM DE; a CA exported by {@link OnnxExport} and
 * read back as someone else's graph (no dualrank.json) scores as the DJL model; inputs are fed by name; graphs
 * and directories that do not fit give errors naming the file; a graph in an {@code onnx/} sub-folder runs too.
 */
class OnnxDirectoryTest {
  private static final String QUERY = HuggingFaceExportTest.QUERY;
  private static final List<String> TEXTS = HuggingFaceExportTest.DOCUMENTS;
  private static final List<Document> DOCUMENTS = TEXTS.stream().map(t -> new Document("d", "", t)).toList();
  private static final PretrainedEncoder MINILM = PretrainedEncoder.ALL_MINILM_L6_V2;

  @TempDir Path dir;

  @Test
  void minilmGraphEmbedsAsThePretrainedDualEncoder() throws Exception {
    Path graph = minilmDirectory(dir.resolve("plain"));
    try (DenseEncoder onnx = ModelLoader.denseEncoder(graph.toString(), 1)) {
      assertEquals(384, onnx.dimension());
      assertSameEmbeddings("MiniLM graph, default mean pooling", Pooling.MEAN, false, onnx);
    }
    Path st = minilmDirectory(dir.resolve("st"));
    Files.createDirectories(st.resolve("1_Pooling"));
    Files.createDirectories(st.resolve("2_Normalize"));
    Files.writeString(st.resolve("modules.json"), """
        [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
         {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
         {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]""");
    Files.writeString(st.resolve("1_Pooling/config.json"), """
        {"word_embedding_dimension": 384, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}""");
    try (DenseEncoder onnx = ModelLoader.denseEncoder(st.toString(), 1)) {
      assertTrue(onnx.normalized());
      assertSameEmbeddings("MiniLM graph, modules: cls pooling, Normalize", Pooling.CLS, true, onnx);
    }
    assertTrue(RankerModel.checksums(st).containsKey("model model.onnx.sha256"));
  }

  @Test
  void exportedCrossEncoderReadAsSomeoneElsesGraphScoresAsTheDjlModel() throws Exception {
    Path out = dir.resolve("ca");
    try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(), 11)) {
      OnnxExport.write(model, out);
      float[] expected = model.scoreTexts(QUERY, TEXTS);
      Files.delete(out.resolve(HuggingFaceModel.DUALRANK_CONFIG));
      Files.writeString(out.resolve("config.json"), """
          {"architectures": ["BertForSequenceClassification"], "model_type": "bert", "num_labels": 1,
           "max_position_embeddings": 512, "hidden_size": 32}""");
      try (ScoringModel graph = ScoringModel.load(out)) {
        assertEquals(Architecture.CROSS_ENCODER, graph.architecture());
        float diff = HuggingFaceExportTest.maxDiff(expected, graph.scoreTexts(QUERY, TEXTS));
        System.out.printf("external ONNX graph (our CA export, no dualrank.json) vs DJL: max |diff| = %.3g%n", diff);
        assertTrue(diff < 1e-4, "max |diff| " + diff);
      }
      try (var ranker = ModelLoader.ranker(out.toString(), 1)) {
        assertArrayEquals(expected, ranker.score(QUERY, DOCUMENTS), 1e-4f);
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ModelLoader.denseEncoder(out.toString(), 1));
      assertTrue(e.getMessage().contains("is a cross-encoder"), e.getMessage());
    }
  }

  @Test
  void exportedDualEncoderWithItsSettingsEmbedsAsTheDjlModel() throws Exception {
    Path out = dir.resolve("de");
    RankerConfig config = TinyModels.dualEncoder(Pooling.MEAN, true, 8, true, 0.05f, false);
    try (DualEncoderRanker model = (DualEncoderRanker) RankerModel.create(config, 5)) {
      OnnxExport.write(model, out);
      float[][] expected = model.encodeQueries(List.of(QUERY, "word ".repeat(40)));
      try (DenseEncoder onnx = ModelLoader.denseEncoder(out.toString(), 1)) {
        assertEquals(8, onnx.dimension());
        float max = maxDiff(expected, onnx.encodeQueries(List.of(QUERY, "word ".repeat(40))));
        System.out.printf("external ONNX graph (our DE export, dualrank.json's lengths) vs DJL: max |diff| = %.3g%n", max);
        assertTrue(max < 1e-4, "max |diff| " + max);
      }
    }
  }

  @Test
  void graphInAnOnnxSubFolderRunsAndATopLevelOneIsPreferred() throws Exception {
    Path hub = minilmDirectory(dir.resolve("hub"));
    Files.createDirectories(hub.resolve("onnx"));
    Files.move(hub.resolve("model.onnx"), hub.resolve("onnx/model.onnx"));
    Files.writeString(hub.resolve("config.json"), "{\"model_type\": \"bert\", \"max_position_embeddings\": 512}");
    assertTrue(OnnxDirectory.isOnnxDirectory(hub));
    try (DenseEncoder onnx = ModelLoader.denseEncoder(hub.toString(), 1)) {
      assertSameEmbeddings("MiniLM graph as onnx/model.onnx, default mean pooling", Pooling.MEAN, false, onnx);
    }
    assertTrue(RankerModel.checksums(hub).containsKey("model onnx/model.onnx.sha256"));
    IOException e = assertThrows(IOException.class, () -> RankerModel.load(hub));
    assertTrue(e.getMessage().contains("holds an ONNX graph (onnx/model.onnx)"), e.getMessage());
    IllegalArgumentException torch = assertThrows(IllegalArgumentException.class, () -> ModelLoader.ranker("pytorch:" + hub, 1));
    assertTrue(torch.getMessage().contains("holds an ONNX graph (onnx/model.onnx) without weights"), torch.getMessage());

    Files.write(hub.resolve("model.onnx"), rowLengthGraph());
    try (ScoringModel model = ScoringModel.load(hub)) {
      assertEquals(Architecture.CROSS_ENCODER, model.architecture(), "the top-level graph, a CA, is run");
    }
    Files.delete(hub.resolve("model.onnx"));
    Files.write(hub.resolve("model.safetensors"), new byte[0]);
    assertTrue(!OnnxDirectory.isOnnxDirectory(hub), "weights at the top: a Hugging Face directory");
  }

  /** A graph whose {@code logits} [B, 1] are the number of real tokens of each row (no token_type_ids input). */
  private static byte[] rowLengthGraph() {
    OnnxGraphWriter g = new OnnxGraphWriter();
    g.input("input_ids", OnnxGraphWriter.INT64, "batch", "sequence");
    g.input("attention_mask", OnnxGraphWriter.INT64, "batch", "sequence");
    String mask = g.node("Cast", List.of("attention_mask"), Attribute.of("to", (long) OnnxGraphWriter.FLOAT));
    String ids = g.node("Cast", List.of("input_ids"), Attribute.of("to", (long) OnnxGraphWriter.FLOAT));
    String count = g.node("ReduceSum", List.of(g.node("Add", List.of(mask, g.node("Mul", List.of(ids, g.scalar(0f))))),
        g.longs(1)), Attribute.of("keepdims", 1L));
    g.output(count, "logits", OnnxGraphWriter.FLOAT, "batch", 1L);
    return g.model("counter", OnnxExport.OPSET);
  }

  @Test
  void graphWithoutTokenTypesGetsOnlyWhatItDeclares() throws Exception {
    Path counter = graphDirectory("counter", rowLengthGraph());
    Files.writeString(counter.resolve("tokenizer_config.json"), "{\"model_max_length\": 20}");
    try (ScoringModel model = ScoringModel.load(counter); WordPieceTokenizer tokenizer = MINILM.tokenizer()) {
      float[] scores = model.scoreTexts(QUERY, TEXTS);
      int queryPieces = tokenizer.wordPieceIds(List.of(QUERY)).get(0).length;
      for (int i = 0; i < TEXTS.size(); i++) {
        int documentPieces = tokenizer.wordPieceIds(List.of(TEXTS.get(i))).get(0).length;
        assertEquals(WordPieceTokenizer.pairRowLength(queryPieces, documentPieces, 17, 20), scores[i], 0f, TEXTS.get(i));
      }
    }
  }

  @Test
  void graphsThatDoNotFitNameTheFile() throws Exception {
    OnnxGraphWriter noMask = new OnnxGraphWriter();
    noMask.input("input_ids", OnnxGraphWriter.INT64, "batch", "sequence");
    noMask.output(noMask.node("Cast", List.of("input_ids"), Attribute.of("to", (long) OnnxGraphWriter.FLOAT)),
        "logits", OnnxGraphWriter.FLOAT, "batch", "sequence");
    assertLoadFails(graphDirectory("no-mask", noMask.model("no-mask", OnnxExport.OPSET)),
        "model.onnx: graph inputs [input_ids] lack input_ids or attention_mask");

    OnnxGraphWriter pooler = new OnnxGraphWriter();
    pooler.input("input_ids", OnnxGraphWriter.INT64, "batch", "sequence");
    pooler.input("attention_mask", OnnxGraphWriter.INT64, "batch", "sequence");
    pooler.output(pooler.node("Cast", List.of("attention_mask"), Attribute.of("to", (long) OnnxGraphWriter.FLOAT)),
        "pooler_output", OnnxGraphWriter.FLOAT, "batch", "sequence");
    assertLoadFails(graphDirectory("pooler", pooler.model("pooler", OnnxExport.OPSET)),
        "model.onnx: graph's float outputs are pooler_output [?, ?]; expected [logits, score, scores]");

    OnnxGraphWriter twoLabels = new OnnxGraphWriter();
    twoLabels.input("input_ids", OnnxGraphWriter.INT64, "batch", "sequence");
    twoLabels.input("attention_mask", OnnxGraphWriter.INT64, "batch", "sequence");
    twoLabels.output(twoLabels.node("Cast", List.of("attention_mask"), Attribute.of("to", (long) OnnxGraphWriter.FLOAT)),
        "logits", OnnxGraphWriter.FLOAT, "batch", 2L);
    assertLoadFails(graphDirectory("two-labels", twoLabels.model("two-labels", OnnxExport.OPSET)),
        "model.onnx: graph's float outputs are logits [?, 2]");

    Path noTokenizer = minilmDirectory(dir.resolve("no-tokenizer"));
    Files.delete(noTokenizer.resolve("tokenizer.json"));
    assertLoadFails(noTokenizer, "no tokenizer.json or vocab.txt");

    Path garbage = dir.resolve("garbage");
    Files.createDirectories(garbage);
    Files.writeString(garbage.resolve("model.onnx"), "not a graph");
    Files.write(garbage.resolve("tokenizer.json"), MINILM.tokenizerJson());
    assertLoadFails(garbage, "model.onnx: ONNX Runtime cannot load it");

    IOException e = assertThrows(IOException.class, () -> RankerModel.load(garbage));
    assertTrue(e.getMessage().contains("it cannot start a model, be trained or be exported"), e.getMessage());
    IllegalArgumentException init = assertThrows(IllegalArgumentException.class,
        () -> EncoderSpec.parse(garbage.toString()));
    assertTrue(init.getMessage().contains("holds an ONNX graph (model.onnx)"), init.getMessage());
    IllegalArgumentException pytorch = assertThrows(IllegalArgumentException.class,
        () -> ModelLoader.ranker("pytorch:" + garbage, 1));
    assertTrue(pytorch.getMessage().contains("which only ONNX Runtime runs"), pytorch.getMessage());
  }

  private static void assertLoadFails(Path directory, String expected) {
    IOException e = assertThrows(IOException.class, () -> OnnxDirectory.load(directory, 1));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().contains(directory.toString()), "names the directory: " + e.getMessage());
  }

  private void assertSameEmbeddings(String what, Pooling pooling, boolean normalize, DenseEncoder onnx) {
    RankerConfig config = new RankerConfig(Architecture.DUAL_ENCODER, MINILM.id(), MINILM.id(), MINILM.config(), 64,
        256, pooling, true, 0, normalize, 1f, false);
    try (DualEncoderRanker pretrained = (DualEncoderRanker) RankerModel.create(config, 1)) {
      float documents = maxDiff(pretrained.encodeDocuments(DOCUMENTS), onnx.encodeDocuments(DOCUMENTS));
      float queries = maxDiff(pretrained.encodeQueries(List.of(QUERY)), onnx.encodeQueries(List.of(QUERY)));
      System.out.printf("%s vs the pre-trained DE (DJL): max |diff| = %.3g (documents), %.3g (query)%n", what,
          documents, queries);
      assertTrue(Math.max(documents, queries) < 1e-4, what + ": max |diff| " + Math.max(documents, queries));
    }
  }

  /** The jar's all-MiniLM-L6-v2 graph and tokenizer, as someone would download them. */
  private static Path minilmDirectory(Path directory) throws IOException {
    Files.createDirectories(directory);
    try (InputStream in = MINILM.openOnnx()) {
      Files.copy(in, directory.resolve("model.onnx"));
    }
    Files.write(directory.resolve("tokenizer.json"), MINILM.tokenizerJson());
    return directory;
  }

  private Path graphDirectory(String name, byte[] graph) throws IOException {
    Path directory = dir.resolve(name);
    Files.createDirectories(directory);
    Files.write(directory.resolve("model.onnx"), graph);
    Files.write(directory.resolve("tokenizer.json"), MINILM.tokenizerJson());
    return directory;
  }

  private static float maxDiff(float[][] expected, float[][] actual) {
    assertEquals(expected.length, actual.length);
    float max = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, HuggingFaceExportTest.maxDiff(expected[i], actual[i]));
    }
    return max;
  }
}
