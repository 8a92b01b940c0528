package io.dualrank.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.index.DenseIndexer;
import io.dualrank.index.VectorIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DenseCommandsTest {
  @TempDir Path tmp;

  private record Result(int exitCode, String out, String err) {}

  private static Result run(String... args) {
    CommandLine cl = DualRank.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private Path corpus() throws IOException {
    return Files.writeString(tmp.resolve("corpus.jsonl"), """
        {"_id": "d1", "title": "Dual encoders", "text": "Dual encoders embed queries and documents separately."}
        {"_id": "d2", "title": "Cross attention", "text": "Cross-attention models read the query and document together."}
        {"_id": "d3", "title": "Gardening", "text": "Tomatoes need sun and water."}
        {"_id": "d4", "title": "", "text": "Dense retrieval answers queries from a vector index."}
        """);
  }

  @Test
  void encodeWritesTheEmbeddingsOfEveryDocumentAndARerunKeepsThem() throws IOException {
    Path out = tmp.resolve("emb");
    for (int attempt = 0; attempt < 2; attempt++) {
      Result r = run("encode", "--model", "hashing:32", "--corpus", corpus().toString(), "--out", out.toString(),
          "--shard-size", "3");
      assertEquals(0, r.exitCode(), r.err());
    }
    var shards = io.dualrank.index.EmbeddingShards.open(out, "hashing:32", 32, 3,
        ModelLoader.encodingInputs("hashing:32", corpus()));
    assertEquals(4, shards.encodedDocuments());
    try (var hashing = new io.dualrank.model.HashingEncoder(32);
        var embedded = shards.embedded(io.dualrank.data.Corpus.open(corpus()).stream())) {
      for (var e : (Iterable<io.dualrank.index.EmbeddedDocument>) embedded::iterator) {
        float[] expected = hashing.encodeDocuments(List.of(e.document()))[0];
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, e.vector(), 0f, e.document().id());
      }
    }
  }

  @Test
  void indexThenSearchWritesATrecRun() throws IOException {
    Path index = tmp.resolve("idx");
    Result indexed = run("index", "--model", "hashing:128", "--corpus", corpus().toString(), "--index", index.toString(),
        "--m", "8", "--beam-width", "50", "--shard-size", "3");
    assertEquals(0, indexed.exitCode(), indexed.err());
    assertTrue(indexed.out().contains("indexed 4 documents"), indexed.out());
    assertTrue(Files.notExists(DenseIndexer.embeddingsDir(index)));
    try (VectorIndex built = VectorIndex.open(index)) {
      assertEquals(new VectorIndex.Spec("hashing:128", 128, org.apache.lucene.index.VectorSimilarityFunction.DOT_PRODUCT,
          8, 50), built.info().spec());
    }

    Path queries = Files.writeString(tmp.resolve("queries.tsv"), "q1\tdual encoders\nq2\ttomatoes in the sun\n");
    for (String mode : List.of("--candidates=10", "--exact")) {
      Path out = tmp.resolve("run" + mode + ".trec");
      Result searched = run("search", "--index", index.toString(), "--queries", queries.toString(), "-k", "2", mode,
          "--out", out.toString());
      assertEquals(0, searched.exitCode(), searched.err());
      List<String[]> lines = Files.readAllLines(out).stream().map(l -> l.split(" ")).toList();
      assertEquals(4, lines.size());
      assertEquals(List.of("q1", "Q0", "d1", "1"), List.of(lines.get(0)).subList(0, 4));
      assertEquals(List.of("q2", "Q0", "d3", "1"), List.of(lines.get(2)).subList(0, 4));
      assertEquals("dualrank-dense", lines.get(0)[5]);
    }

    Path reranked = tmp.resolve("reranked.trec");
    Result rr = run("search", "--index", index.toString(), "--queries", queries.toString(), "-k", "4",
        "--rerank", "hashing:512", "--depth", "2", "--tag", "ca", "--out", reranked.toString());
    assertEquals(0, rr.exitCode(), rr.err());
    List<String> lines = Files.readAllLines(reranked);
    assertEquals(8, lines.size());
    assertTrue(lines.get(0).startsWith("q1 Q0 d1 1 ") && lines.get(0).endsWith(" ca"), lines.get(0));
  }

  @Test
  void unknownModelsAndBadInputAreReportedInOneLine() throws IOException {
    Result unknown = run("index", "--model", "/models/bert-de", "--corpus", corpus().toString(),
        "--index", tmp.resolve("idx").toString());
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().contains("expected hashing:<dimension>, a model directory or a Hugging Face one"),
        unknown.err());
    assertEquals(1, unknown.err().strip().lines().count(), unknown.err());

    Path bad = Files.writeString(tmp.resolve("bad.jsonl"), "{\"_id\": \"d1\", \"text\": \"ok\"}\n{\"_id\": \"d2\"}\n");
    Result malformed = run("index", "--model", "hashing:16", "--corpus", bad.toString(),
        "--index", tmp.resolve("idx").toString());
    assertEquals(2, malformed.exitCode());
    assertTrue(malformed.err().contains("bad.jsonl:2"), malformed.err());
  }
}
