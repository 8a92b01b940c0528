package io.dualrank.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.data.Document;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * all-MiniLM-L6-v2 written as its sentence-transformers directory (its weights from the jar's ONNX model, the
 * config.json and modules of sentence-transformers/all-MiniLM-L6-v2) imports as a DE that embeds as ONNX
 * Runtime does on the original graph; its hf and onnx exports give the same embeddings again.
 */
class HuggingFaceMiniLmTest {
  private static final List<Document> DOCUMENTS = HuggingFaceExportTest.DOCUMENTS.stream()
      .map(t -> new Document("d", "", t)).toList();

  @TempDir Path dir;

  @Test
  void sentenceTransformersMiniLmEmbedsAsTheOriginalGraph() throws Exception {
    Path st = dir.resolve("all-MiniLM-L6-v2");
    PretrainedEncoder minilm = PretrainedEncoder.ALL_MINILM_L6_V2;
    Files.createDirectories(st.resolve("1_Pooling"));
    Files.createDirectories(st.resolve("2_Normalize"));
    SafeTensors.write(st.resolve("model.safetensors"), minilm.huggingFaceWeights());
    Files.write(st.resolve("tokenizer.json"), minilm.tokenizerJson());
    Files.writeString(st.resolve("config.json"), """
        {"_name_or_path": "nreimers/MiniLM-L6-H384-uncased", "architectures": ["BertModel"],
         "attention_probs_dropout_prob": 0.1, "gradient_checkpointing": false, "hidden_act": "gelu",
         "hidden_dropout_prob": 0.1, "hidden_size": 384, "initializer_range": 0.02, "intermediate_size": 1536,
         "layer_norm_eps": 1e-12, "max_position_embeddings": 512, "model_type": "bert", "num_attention_heads": 12,
         "num_hidden_layers": 6, "pad_token_id": 0, "position_embedding_type": "absolute",
         "transformers_version": "4.8.2", "type_vocab_size": 2, "use_cache": true, "vocab_size": 30522}""");
    Files.writeString(st.resolve("modules.json"), """
        [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
         {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
         {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]""");
    Files.writeString(st.resolve("1_Pooling/config.json"), """
        {"word_embedding_dimension": 384, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true,
         "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false}""");
    Files.writeString(st.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 256, \"do_lower_case\": false}");

    try (DualEncoderRanker imported = (DualEncoderRanker) RankerModel.load(st)) {
      RankerConfig config = imported.config();
      assertEquals(List.of(Pooling.MEAN, 0, true, 256), List.of(config.pooling(), config.projection(),
          config.normalize(), config.maxLength()));
      float[][] djl = imported.encodeDocuments(DOCUMENTS);
      RankerConfig sameAsPretrained = new RankerConfig(Architecture.DUAL_ENCODER, minilm.id(), minilm.id(),
          minilm.config(), config.maxQueryLength(), config.maxLength(), Pooling.MEAN, true, 0, true, 1f, false);
      try (OnnxRuntimeEncoder original = OnnxRuntimeEncoder.pretrained(sameAsPretrained, 1)) {
        report("imported ST MiniLM (DJL) vs original graph (ONNX Runtime)", djl, original.encodeDocuments(DOCUMENTS), 1e-4);
      }
      Path hf = dir.resolve("hf");
      HuggingFaceExport.write(imported, hf);
      try (DualEncoderRanker back = (DualEncoderRanker) RankerModel.load(hf)) {
        report("hf export -> import, MiniLM DE", djl, back.encodeDocuments(DOCUMENTS), 1e-5);
      }
      var batch = imported.tokenizer.encode(HuggingFaceExportTest.DOCUMENTS, config.maxLength());
      float[] onnx = OnnxExportTest.run(OnnxExport.graph(imported), batch, "embedding");
      float[][] rows = new float[djl.length][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = java.util.Arrays.copyOfRange(onnx, i * 384, (i + 1) * 384);
      }
      report("onnx export (ONNX Runtime) vs DJL, MiniLM DE", djl, rows, 1e-4);
    }
  }

  private static void report(String what, float[][] expected, float[][] actual, double tolerance) {
    float max = 0;
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        max = Math.max(max, Math.abs(expected[i][j] - actual[i][j]));
      }
    }
    System.out.printf("%s: max |diff| = %.3g%n", what, max);
    assertTrue(max < tolerance, what + ": max |diff| " + max);
  }
}
