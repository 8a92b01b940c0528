package io.dualrank.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.cli.ModelLoader;
import io.dualrank.data.Corpus;
import io.dualrank.data.Document;
import io.dualrank.data.Query;
import io.dualrank.data.QuerySet;
import io.dualrank.data.Run;
import io.dualrank.data.ScoredDoc;
import io.dualrank.data.TeacherScores;
import io.dualrank.data.TrecRunReader;
import io.dualrank.model.Ranker;
import io.dualrank.train.TeacherScoring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark teacher-score job gives the single-machine teacher scores, in the core's file format. */
class TeacherScoreJobTest {
  @TempDir Path tmp;

  /** A run giving every query {@code perQuery} documents with made-up, distinct scores. */
  static Path run(Path file, List<String> qids, List<String> docids, int perQuery) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int q = 0; q < qids.size(); q++) {
      for (int r = 0; r < perQuery; r++) {
        String doc = docids.get((q * 7 + r * 3) % docids.size());
        lines.add(String.format(Locale.ROOT, "%s Q0 %s %d %.3f run", qids.get(q), doc, r + 1, 10.0 - r * 0.25));
      }
    }
    return Files.write(file, lines);
  }

  /**
   * TeacherScoring (the core of `dualrank teacher-score`) on the run's top {@code depth} with the same ONNX
   * Runtime teacher the job loads (ModelLoader.ranker).
   */
  static TeacherScores singleMachine(String model, Path runFile, int depth, Path queries, Path corpus, Path out)
      throws IOException {
    Run run = TrecRunReader.read(runFile).topK(depth);
    Map<String, List<String>> pairs = new LinkedHashMap<>();
    for (String qid : run.queryIds()) {
      pairs.put(qid, run.ranking(qid).stream().map(ScoredDoc::docId).toList());
    }
    Map<String, String> queryTexts = QuerySet.open(queries).stream()
        .collect(Collectors.toMap(Query::id, Query::text));
    Map<String, String> docTexts;
    try (Stream<Document> docs = Corpus.open(corpus).stream()) {
      docTexts = docs.collect(Collectors.toMap(Document::id, Document::fullText));
    }
    try (Ranker teacher = ModelLoader.ranker(model)) {
      return TeacherScoring.score((q, texts) -> teacher.score(q, texts.stream().map(t -> new Document("-", "", t)).toList()),
          pairs, queryTexts, docTexts, out, 2, Map.of(), false);
    }
  }

  static void assertSameScores(TeacherScores expected, TeacherScores actual, double tolerance) {
    assertEquals(expected.size(), actual.size());
    assertEquals(expected.queryIds(), actual.queryIds());
    for (String q : expected.queryIds()) {
      assertEquals(expected.scores(q).keySet(), actual.scores(q).keySet(), q);
      expected.scores(q).forEach((d, s) -> assertEquals(s, actual.score(q, d).orElseThrow(), tolerance, q + " " + d));
    }
  }

  @Test
  void scoresEqualTheSingleMachineTeachersAlsoAfterAFailedTask() throws Exception {
    SparkSession spark = SparkFixture.spark();
    String model = SparkFixture.crossEncoder().toString();
    Path corpus = SparkFixture.corpus(tmp.resolve("corpus.jsonl"), 40);
    Path queries = SparkFixture.queries(tmp.resolve("queries.jsonl"));
    List<String> docids;
    try (Stream<Document> docs = Corpus.open(corpus).stream()) {
      docids = docs.map(Document::id).toList();
    }
    Path runFile = run(tmp.resolve("candidates.run"), List.of("q1", "q2", "q3", "q4", "q5"), docids, 8);
    TeacherScores expected = singleMachine(model, runFile, 6, queries, corpus, tmp.resolve("single.txt"));
    assertEquals(30, expected.size());

    Dataset<Row> pairs = TeacherScoreJob.candidatePairs(spark, runFile.toString(), 6);
    Dataset<Row> qs = TextInputs.queries(spark, queries.toString());
    Dataset<Row> docs = TextInputs.documents(spark, corpus.toString());
    String clean = tmp.resolve("clean").toString();
    TeacherScoreJob.scores(pairs, qs, docs, model, 3, FailureInjection.OFF).write().parquet(clean);
    TeacherScoreJob.writeText(spark.read().parquet(clean), tmp.resolve("spark.txt"));
    TeacherScores fromSpark = TeacherScores.read(tmp.resolve("spark.txt"));
    assertSameScores(expected, fromSpark, 1e-5);

    TaskFailures failures = TaskFailures.listen(spark);
    String retried = tmp.resolve("retried").toString();
    try {
      TeacherScoreJob.scores(pairs, qs, docs, model, 3, new FailureInjection(1)).write().parquet(retried);
      assertEquals(1, failures.count(spark), "failed tasks");
    } finally {
      failures.stop(spark);
    }
    TeacherScoreJob.writeText(spark.read().parquet(retried), tmp.resolve("retried.txt"));
    assertEquals(Files.readString(tmp.resolve("spark.txt")), Files.readString(tmp.resolve("retried.txt")));
    assertTrue(Files.readString(tmp.resolve("spark.txt")).startsWith("q1 "));
  }
}
