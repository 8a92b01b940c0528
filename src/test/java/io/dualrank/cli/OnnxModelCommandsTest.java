package io.dualrank.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dualrank.ToyDataset;
import io.dualrank.data.Corpus;
import io.dualrank.data.Document;
import io.dualrank.data.Run;
import io.dualrank.data.ScoredDoc;
import io.dualrank.data.TrecRunReader;
import io.dualrank.index.EmbeddedDocument;
import io.dualrank.index.EmbeddingShards;
import io.dualrank.model.DualEncoderRanker;
import io.dualrank.model.OnnxExport;
import io.dualrank.model.Pooling;
import io.dualrank.model.RankerModel;
import io.dualrank.model.TinyModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The commands take a directory with an ONNX graph for --model: teacher-score and rerank with an exported CA's
 * graph give the scores of the model it was exported from (within 1e-4), encode embeds with a DE's graph.
 */
class OnnxModelCommandsTest {
  @TempDir Path tmp;
  Path root;
  Path definition;

  @BeforeEach
  void writeDataset() throws IOException {
    root = ToyDataset.writeData(tmp.resolve("data"));
    definition = ToyDataset.writeDefinition(tmp.resolve("toy.yaml"));
  }

  private static String run(String... args) {
    CommandLine cl = DualRank.commandLine();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    assertEquals(0, code, err.toString());
    return err.toString();
  }

  @Test
  void teacherScoreAndRerankWithAnExportedCrossEncodersGraph() throws IOException {
    Path djl = tmp.resolve("ca");
    Path onnx = tmp.resolve("ca-onnx");
    try (RankerModel model = RankerModel.create(TinyModels.crossEncoder(), 4)) {
      model.save(djl);
      OnnxExport.write(model, onnx);
    }
    Map<String, Float> expected = new HashMap<>();
    for (Path model : List.of(djl, onnx)) {
      Path scores = tmp.resolve(model.getFileName() + ".scores");
      run("teacher-score", "--dataset", definition.toString(), "--data", root.toString(), "--model", model.toString(),
          "--out", scores.toString());
      List<String> lines = Files.readAllLines(scores);
      assertEquals(24, lines.size(), "4 train queries x 6 candidates");
      for (String line : lines) {
        String[] f = line.split(" ");
        float score = Float.parseFloat(f[2]);
        Float before = expected.putIfAbsent(f[0] + " " + f[1], score);
        if (before != null) {
          assertEquals(before, score, 1e-4f, line);
        }
      }
      Path out = tmp.resolve(model.getFileName() + ".trec");
      run("rerank", "--dataset", definition.toString(), "--data", root.toString(), "--model", model.toString(),
          "--out", out.toString());
      Run reranked = TrecRunReader.read(out);
      assertEquals(2, reranked.queryIds().size());
      for (String qid : reranked.queryIds()) {
        for (ScoredDoc d : reranked.ranking(qid)) {
          expected.putIfAbsent(qid + " test " + d.docId(), (float) d.score());
          assertEquals(expected.get(qid + " test " + d.docId()), d.score(), 1e-4, qid + " " + d.docId());
        }
      }
    }
  }

  @Test
  void encodeWithAnExportedDualEncodersGraph() throws IOException {
    Path onnx = tmp.resolve("de-onnx");
    Path corpus = root.resolve("toy/collection.tsv");
    List<Document> documents;
    try (Stream<Document> docs = Corpus.open(corpus).stream()) {
      documents = docs.toList();
    }
    float[][] expected;
    try (DualEncoderRanker model = (DualEncoderRanker) RankerModel.create(
        TinyModels.dualEncoder(Pooling.MEAN, true, 8, true, 1f, false), 4)) {
      OnnxExport.write(model, onnx);
      expected = model.encodeDocuments(documents);
    }
    Path out = tmp.resolve("emb");
    String spec = onnx.toString();
    run("encode", "--model", spec, "--corpus", corpus.toString(), "--out", out.toString(), "--shard-size", "4");
    EmbeddingShards shards = EmbeddingShards.open(out, spec, 8, 4, ModelLoader.encodingInputs(spec, corpus));
    try (Stream<EmbeddedDocument> embedded = shards.embedded(documents.stream())) {
      List<EmbeddedDocument> read = embedded.toList();
      assertEquals(documents.size(), read.size());
      for (int i = 0; i < read.size(); i++) {
        assertArrayEquals(expected[i], read.get(i).vector(), 1e-4f, read.get(i).document().id());
      }
    }
  }
}
