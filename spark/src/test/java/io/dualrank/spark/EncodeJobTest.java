package io.dualrank.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.cli.ModelLoader;
import io.dualrank.data.Corpus;
import io.dualrank.data.Query;
import io.dualrank.data.QuerySet;
import io.dualrank.index.EmbeddedDocument;
import io.dualrank.index.EmbeddingShards;
import io.dualrank.model.DenseEncoder;
import io.dualrank.util.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark encode job gives the single-machine encoder's embeddings, once each, also after a failed task. */
class EncodeJobTest {
  @TempDir Path tmp;

  /** Corpus embeddings as `dualrank encode` writes them (shards), keyed by docid, in corpus order. */
  static Map<String, float[]> singleMachine(String model, Path corpus, Path shardDir) throws IOException {
    try (DenseEncoder encoder = ModelLoader.denseEncoder(model)) {
      EmbeddingShards shards = EmbeddingShards.open(shardDir, model, encoder.dimension(), 10000, Map.of());
      try (Stream<io.dualrank.data.Document> docs = Corpus.open(corpus).stream()) {
        shards.encode(docs, encoder, 64, Progress.silent());
      }
      Map<String, float[]> out = new LinkedHashMap<>();
      try (Stream<EmbeddedDocument> docs = shards.embedded(Corpus.open(corpus).stream())) {
        docs.forEach(d -> out.put(d.document().id(), d.vector()));
      }
      return out;
    }
  }

  /** Rows of an embedding table keyed by id, checking that no id appears twice. */
  static Map<String, Row> byId(Dataset<Row> table, String idColumn) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : table.collectAsList()) {
      assertEquals(null, out.put(r.getAs(idColumn), r), "id " + r.getAs(idColumn) + " twice");
    }
    return out;
  }

  /** Every expected id once, at its position in the file, with the expected vector within {@code tolerance}. */
  static void assertSameEmbeddings(Map<String, float[]> expected, Map<String, Row> actual, double tolerance) {
    assertEquals(expected.keySet(), actual.keySet());
    long position = 0;
    for (var e : expected.entrySet()) {
      Row r = actual.get(e.getKey());
      assertEquals(position++, r.<Long>getAs("position"), e.getKey());
      float[] v = EncodeJob.vector(r);
      assertEquals(e.getValue().length, v.length);
      for (int i = 0; i < v.length; i++) {
        assertEquals(e.getValue()[i], v[i], tolerance, e.getKey() + "[" + i + "]");
      }
    }
  }

  @Test
  void documentEmbeddingsEqualTheSingleMachineEncodersAndLoadTheModelOncePerCore() throws IOException {
    SparkSession spark = SparkFixture.spark();
    String model = SparkFixture.dualEncoder().toString();
    Path corpus = SparkFixture.corpus(tmp.resolve("corpus.jsonl"), 60);
    Dataset<Row> docs = TextInputs.documents(spark, corpus.toString()).repartition(6);
    Map<String, Row> spark1 = byId(EncodeJob.documentEmbeddings(docs, model, 7, FailureInjection.OFF), "docid");
    assertSameEmbeddings(singleMachine(model, corpus, tmp.resolve("shards")), spark1, 1e-5);
    // 6 partitions on 2 cores: at most one model per task slot (the driver is the executor here)
    int loads = ModelPool.loads(model + "#1");
    assertTrue(loads >= 1 && loads <= 2, "model loaded " + loads + " times");
  }

  @Test
  void queryEmbeddingsEqualTheSingleMachineEncoders() throws IOException {
    String model = SparkFixture.dualEncoder().toString();
    Path queries = SparkFixture.queries(tmp.resolve("queries.jsonl"));
    Map<String, float[]> expected = new LinkedHashMap<>();
    try (DenseEncoder encoder = ModelLoader.denseEncoder(model)) {
      List<Query> qs = QuerySet.open(queries).stream().toList();
      float[][] v = encoder.encodeQueries(qs.stream().map(Query::text).toList());
      for (int i = 0; i < v.length; i++) {
        expected.put(qs.get(i).id(), v[i]);
      }
    }
    Dataset<Row> table = EncodeJob.queryEmbeddings(TextInputs.queries(SparkFixture.spark(), queries.toString()),
        model, 2, FailureInjection.OFF);
    assertSameEmbeddings(expected, byId(table, "qid"), 1e-5);
  }

  @Test
  void aTaskThatFailsOnceIsRetriedAndTheParquetOutputEqualsACleanRun() throws Exception {
    SparkSession spark = SparkFixture.spark();
    String model = SparkFixture.dualEncoder().toString();
    Path corpus = SparkFixture.corpus(tmp.resolve("corpus.jsonl"), 40);
    Dataset<Row> docs = TextInputs.documents(spark, corpus.toString());
    String clean = tmp.resolve("clean").toString();
    String retried = tmp.resolve("retried").toString();
    EncodeJob.documentEmbeddings(docs, model, 5, FailureInjection.OFF).write().parquet(clean);
    TaskFailures failures = TaskFailures.listen(spark);
    try {
      EncodeJob.documentEmbeddings(docs, model, 5, new FailureInjection(0)).write().parquet(retried);
      assertEquals(1, failures.count(spark), "failed tasks");
    } finally {
      failures.stop(spark);
    }
    Map<String, Row> want = byId(spark.read().parquet(clean), "docid");
    Map<String, float[]> wantVectors = new LinkedHashMap<>();
    want.values().stream().sorted(java.util.Comparator.comparingLong(r -> r.<Long>getAs("position")))
        .forEach(r -> wantVectors.put(r.getAs("docid"), EncodeJob.vector(r)));
    assertSameEmbeddings(wantVectors, byId(spark.read().parquet(retried), "docid"), 0);
  }

  @Test
  void aBadCorpusLineFailsTheJobWithTheCoresMessageNamingFileAndLine() throws IOException {
    Path corpus = java.nio.file.Files.write(tmp.resolve("bad.jsonl"), List.of(
        "{\"_id\": \"d1\", \"text\": \"fine\"}", "{\"_id\": \"d2\", \"text\": \"fine too\"}",
        "{\"_id\": \"d3\", \"title\": \"no text\"}"));
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> TextInputs.documents(SparkFixture.spark(), corpus.toString()).collectAsList());
    String message = JobMain.userError(e);
    assertTrue(message != null && message.endsWith("bad.jsonl:3: a JSON object with a string member \"text\""),
        message + " from " + e);
  }
}
