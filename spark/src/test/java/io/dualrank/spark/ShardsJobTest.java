package io.dualrank.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dualrank.data.Document;
import io.dualrank.index.DenseIndexer;
import io.dualrank.index.EmbeddedDocument;
import io.dualrank.index.EmbeddingShards;
import io.dualrank.index.ExactSearch;
import io.dualrank.index.VectorIndex;
import io.dualrank.model.DenseEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet embeddings become the core's shards, in corpus order, which `dualrank index` uses as they are. */
class ShardsJobTest {
  private static final int DIMENSION = 6;
  @TempDir Path tmp;

  /** A dual encoder that must not be asked to encode: the index has to come from the shards. */
  private static final class NoEncoding implements DenseEncoder {
    @Override
    public int dimension() {
      return DIMENSION;
    }

    @Override
    public boolean normalized() {
      return false;
    }

    @Override
    public float[][] encodeQueries(List<String> queries) {
      throw new AssertionError("encoded queries");
    }

    @Override
    public float[][] encodeDocuments(List<Document> documents) {
      throw new AssertionError("encoded " + documents.size() + " documents instead of reading the shards");
    }

    @Override
    public void close() {}
  }

  @Test
  void theIndexCommandBuildsItsHnswFromTheConvertedShardsWithoutEncoding() throws Exception {
    Random random = new Random(3);
    List<Row> rows = new ArrayList<>();
    List<Document> corpus = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      float[] v = new float[DIMENSION];
      for (int j = 0; j < DIMENSION; j++) {
        v[j] = (float) random.nextGaussian();
      }
      rows.add(SearchJobTest.row("docid", i, "doc-" + random.nextInt(1_000_000) + "-" + i, v));
      corpus.add(new Document(rows.get(i).getAs("docid"), "", "text " + i));
    }
    Dataset<Row> table = SparkFixture.spark().createDataFrame(rows, EncodeJob.schema("docid")).repartition(4);
    Path index = tmp.resolve("hnsw");
    Map<String, String> inputs = Map.of("corpus corpus.tsv.sha256", "0123abcd");
    assertEquals(45, ShardsJob.write(table, "some-model", inputs, 10, DenseIndexer.embeddingsDir(index)));

    EmbeddingShards shards = EmbeddingShards.open(DenseIndexer.embeddingsDir(index), "some-model", DIMENSION, 10,
        inputs);
    try (Stream<EmbeddedDocument> embedded = shards.embedded(corpus.stream())) {
      List<EmbeddedDocument> all = embedded.toList();
      for (int i = 0; i < all.size(); i++) {
        assertArrayEquals(EncodeJob.vector(rows.get(i)), all.get(i).vector(), all.get(i).document().id());
      }
    }

    DenseIndexer.build(corpus::stream, corpus.size(), new NoEncoding(), "some-model", inputs, index,
        new DenseIndexer.Options(100, 10, 16, 100, 1, false), null);
    float[][] vectors = rows.stream().map(EncodeJob::vector).toArray(float[][]::new);
    try (VectorIndex built = VectorIndex.open(index);
        ExactSearch fromIndex = built.exactSearch(1);
        ExactSearch fromRows = new ExactSearch(corpus.stream().map(Document::id).toList(), vectors, DIMENSION, 1)) {
      assertEquals(45, built.size());
      for (float[] q : List.of(vectors[0], vectors[17], vectors[44])) {
        assertEquals(fromRows.search(q, 5), fromIndex.search(q, 5));
      }
    }
  }
}
