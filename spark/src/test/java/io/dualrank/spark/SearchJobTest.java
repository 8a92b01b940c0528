package io.dualrank.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dualrank.data.Run;
import io.dualrank.data.TrecRunWriter;
import io.dualrank.index.ExactSearch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark search job writes the very run of the core's exact search, ties included. */
class SearchJobTest {
  @TempDir Path tmp;

  /** The run file of the core's exact search (as `dualrank search --exact`) over rows in position order. */
  static String singleMachineRun(List<Row> queries, List<Row> docs, int k, Path file) throws IOException {
    float[][] vectors = docs.stream().map(EncodeJob::vector).toArray(float[][]::new);
    Run.Builder run = new Run.Builder("dense");
    try (ExactSearch search = new ExactSearch(docs.stream().map(r -> r.<String>getAs("docid")).toList(), vectors,
        vectors[0].length, 2)) {
      for (Row q : queries) {
        search.search(EncodeJob.vector(q), k).forEach(d -> run.add(q.getAs("qid"), d));
      }
    }
    TrecRunWriter.write(run.build(), file);
    return Files.readString(file);
  }

  static String sparkRun(Dataset<Row> queries, Dataset<Row> docs, int k, FailureInjection failure, Path file)
      throws IOException {
    TrecRunWriter.write(SearchJob.search(queries, docs, k, "dense", failure), file);
    return Files.readString(file);
  }

  /** An embedding row (with the schema of {@link EncodeJob#schema}). */
  static Row row(String idColumn, long position, String id, float[] vector) {
    return new GenericRowWithSchema(new Object[] {position, id, vector}, EncodeJob.schema(idColumn));
  }

  /** Rows (position, id, vector) of small-integer vectors: many exactly tied scores. */
  private static List<Row> tiedRows(String prefix, int n, int dimension, Random random) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[dimension];
      for (int j = 0; j < dimension; j++) {
        v[j] = random.nextInt(3) - 1;
      }
      rows.add(row(prefix.equals("q") ? "qid" : "docid", i, prefix + (n - i), v)); // ids descending, unlike positions
    }
    return rows;
  }

  @Test
  void tiedScoresAreBrokenAsTheCoreBreaksThemAcrossPartitions() throws Exception {
    SparkSession spark = SparkFixture.spark();
    Random random = new Random(5);
    List<Row> docs = tiedRows("d", 300, 4, random);
    List<Row> queries = tiedRows("q", 20, 4, random);
    Dataset<Row> docTable = spark.createDataFrame(docs, EncodeJob.schema("docid")).repartition(5);
    Dataset<Row> queryTable = spark.createDataFrame(queries, EncodeJob.schema("qid"));
    String expected = singleMachineRun(queries, docs, 10, tmp.resolve("single.run"));
    assertEquals(expected, sparkRun(queryTable, docTable, 10, FailureInjection.OFF, tmp.resolve("spark.run")));
    assertEquals(200, expected.lines().count());
    TaskFailures failures = TaskFailures.listen(spark);
    try {
      assertEquals(expected, sparkRun(queryTable, docTable, 10, new FailureInjection(2), tmp.resolve("retried.run")));
      assertEquals(1, failures.count(spark), "failed tasks");
    } finally {
      failures.stop(spark);
    }
  }

  @Test
  void aKLargerThanAPartitionStillGivesTheWholeTopK() throws IOException {
    SparkSession spark = SparkFixture.spark();
    Random random = new Random(9);
    List<Row> docs = tiedRows("d", 30, 8, random);
    List<Row> queries = tiedRows("q", 3, 8, random);
    String expected = singleMachineRun(queries, docs, 25, tmp.resolve("single.run"));
    assertEquals(75, expected.lines().count());
    assertEquals(expected, sparkRun(spark.createDataFrame(queries, EncodeJob.schema("qid")),
        spark.createDataFrame(docs, EncodeJob.schema("docid")).repartition(6), 25, FailureInjection.OFF,
        tmp.resolve("spark.run")));
  }
}
