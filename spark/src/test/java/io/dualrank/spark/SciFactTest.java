package io.dualrank.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dualrank.data.Corpus;
import io.dualrank.data.Document;
import io.dualrank.data.TeacherScores;
import io.dualrank.index.EmbeddedDocument;
import io.dualrank.index.EmbeddingShards;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three jobs on 2,000 real SciFact abstracts and 100 of its queries (skipped when ../shared/data is
 * absent), each against the single-machine code: embeddings within 1e-5, the same run as the core's exact
 * search over the shards converted from Spark's Parquet, teacher scores within 1e-5 on 300 candidate pairs.
 */
class SciFactTest {
  @TempDir Path tmp;

  @Test
  void encodeSearchAndTeacherScoreAsOnOneMachine() throws Exception {
    Path corpus = SparkFixture.scifact("corpus.jsonl", tmp.resolve("corpus.jsonl"), 2000);
    assumeTrue(corpus != null, "SciFact is absent");
    Path queries = SparkFixture.scifact("queries.jsonl", tmp.resolve("queries.jsonl"), 100);
    SparkSession spark = SparkFixture.spark();
    String de = SparkFixture.dualEncoder().toString();

    // encode: Spark vs the shards of `dualrank encode`
    String docTable = tmp.resolve("docs.parquet").toString();
    EncodeJob.documentEmbeddings(TextInputs.documents(spark, corpus.toString()), de, EncodeJob.DEFAULT_CHUNK,
        FailureInjection.OFF).write().parquet(docTable);
    Dataset<Row> docs = spark.read().parquet(docTable);
    EncodeJobTest.assertSameEmbeddings(EncodeJobTest.singleMachine(de, corpus, tmp.resolve("single-shards")),
        EncodeJobTest.byId(docs, "docid"), 1e-5);
    Dataset<Row> queryEmbeddings = EncodeJob.queryEmbeddings(TextInputs.queries(spark, queries.toString()), de,
        EncodeJob.DEFAULT_CHUNK, FailureInjection.OFF).cache();

    // search: Spark vs the core's exact search over Spark's embeddings converted to the core's shards
    Path shardDir = tmp.resolve("index.embeddings");
    assertEquals(2000, ShardsJob.write(docs, de, Map.of(), 300, shardDir));
    List<Row> docRows;
    try (Stream<Document> corpusDocs = Corpus.open(corpus).stream();
        Stream<EmbeddedDocument> embedded = EmbeddingShards.open(shardDir, de, 384, 300, Map.of()).embedded(corpusDocs)) {
      docRows = embedded.map(d -> SearchJobTest.row("docid", 0, d.document().id(), d.vector())).toList();
    }
    List<Row> queryRows = queryEmbeddings.orderBy("position").collectAsList();
    Path sparkRun = tmp.resolve("spark.run");
    String run = SearchJobTest.sparkRun(queryEmbeddings, docs, 10, FailureInjection.OFF, sparkRun);
    assertEquals(SearchJobTest.singleMachineRun(queryRows, docRows, 10, tmp.resolve("single.run")), run);
    assertEquals(1000, run.lines().count());

    // teacher-score: the top 3 of the Spark run for every query, 300 pairs
    String ca = SparkFixture.crossEncoder().toString();
    TeacherScores expected = TeacherScoreJobTest.singleMachine(ca, sparkRun, 3, queries, corpus,
        tmp.resolve("single.txt"));
    assertEquals(300, expected.size());
    Dataset<Row> scores = TeacherScoreJob.scores(TeacherScoreJob.candidatePairs(spark, sparkRun.toString(), 3),
        TextInputs.queries(spark, queries.toString()), TextInputs.documents(spark, corpus.toString()), ca, 4,
        FailureInjection.OFF);
    TeacherScoreJob.writeText(scores, tmp.resolve("spark.txt"));
    TeacherScoreJobTest.assertSameScores(expected, TeacherScores.read(tmp.resolve("spark.txt")), 1e-5);
  }
}
