package io.dualrank.spark;

import static org.apache.spark.sql.functions.col;

import io.dualrank.cli.ModelLoader;
import io.dualrank.data.Document;
import io.dualrank.model.Ranker;
import io.dualrank.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Spark job {@code teacher-score}: a teacher (normally a CA) scores each query's candidates of a TREC run,
 * giving a Parquet table {@code (qid, docid, score float)} and the core's {@code qid docid score} file
 * ({@link io.dualrank.data.TeacherScores}), which {@code dualrank train --teacher-scores} reads. The pairs
 * are grouped by query (hash-partitioned on qid) so that each query's documents are scored in one call, as
 * the single-machine {@code TeacherScoring} does.
 */
public final class TeacherScoreJob {
  static final StructType SCORES = new StructType().add("qid", DataTypes.StringType, false)
      .add("docid", DataTypes.StringType, false).add("score", DataTypes.FloatType, false);
  private static final StructType RUN = new StructType().add("qid", DataTypes.StringType, false)
      .add("docid", DataTypes.StringType, false).add("runScore", DataTypes.DoubleType, false);

  private TeacherScoreJob() {}

  /**
   * The distinct (qid, docid) pairs of a TREC run, each query's top {@code depth} in trec_eval's order (score
   * descending, docid descending; {@code depth} &lt; 1: all), parsed by the core's line rules.
   */
  static Dataset<Row> candidatePairs(SparkSession spark, String runFile, int depth) {
    Dataset<Row> run = spark.createDataFrame(TextInputs.lines(spark, runFile).map(line -> {
      String[] f = line.whitespaceFields(6, "qid Q0 docid rank score tag");
      return RowFactory.create(line.id(f[0], "query id"), line.id(f[2], "document id"),
          line.parseDouble(f[4], "score"));
    }), RUN).dropDuplicates("qid", "docid");
    if (depth > 0) {
      run = run.withColumn("rank", functions.row_number().over(
              Window.partitionBy("qid").orderBy(col("runScore").desc(), col("docid").desc())))
          .where(col("rank").leq(depth));
    }
    return run.select("qid", "docid");
  }

  /**
   * The teacher's score of every pair, with query texts from {@code queries} ({@link TextInputs#QUERIES}) and
   * documents from {@code documents} ({@link TextInputs#DOCUMENTS}), in {@code partitions} partitions.
   */
  static Dataset<Row> scores(Dataset<Row> pairs, Dataset<Row> queries, Dataset<Row> documents, String model,
      int partitions, FailureInjection failure) {
    Dataset<Row> joined = pairs
        .join(queries.select(col("qid"), col("text").as("query")), "qid")
        .join(documents.select("docid", "title", "text"), "docid")
        .repartition(partitions, col("qid"))
        .sortWithinPartitions("qid", "docid");
    return pairs.sparkSession().createDataFrame(joined.javaRDD().mapPartitions(rows ->
        failure.apply(score(rows, model))), SCORES);
  }

  /** Score rows of one partition's (qid, query, docid, title, text) rows, sorted by qid: one teacher call per query. */
  static Iterator<Row> score(Iterator<Row> rows, String model) {
    int threads = TaskContext.get().cpus();
    Ranker teacher = ModelPool.forTask(model + "#" + threads, () -> ModelLoader.ranker(model, threads));
    return Chunks.groups(rows, (group, next) -> Objects.equals(group.get(0).getAs("qid"), next.getAs("qid")),
        group -> {
          String qid = group.get(0).getAs("qid");
          List<Document> docs = group.stream().map(TextInputs::document).toList();
          float[] s = teacher.score(group.get(0).getAs("query"), docs);
          List<Row> out = new ArrayList<>(s.length);
          for (int i = 0; i < s.length; i++) {
            out.add(RowFactory.create(qid, docs.get(i).id(), s[i]));
          }
          return out;
        });
  }

  /**
   * Writes scores as the core's teacher-scores file, atomically, from the driver: sorted by qid then docid,
   * each score as the core writes a float score ({@code Double.toString} of it widened to double).
   */
  static void writeText(Dataset<Row> scores, Path file) throws IOException {
    Iterator<Row> rows = scores.orderBy("qid", "docid").toLocalIterator();
    AtomicFiles.writeText(file, out -> {
      while (rows.hasNext()) {
        Row r = rows.next();
        out.write(r.getString(0) + " " + r.getString(1) + " " + (double) r.getFloat(2) + "\n");
      }
    });
  }

  @Command(name = "teacher-score", mixinStandardHelpOptions = true,
      description = "Scores the candidates of a TREC run with a teacher model: Parquet and a `qid docid score` file.")
  static final class Main implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Teacher model directory (normally a CA).")
    String model;

    @Option(names = "--candidates", required = true, paramLabel = "FILE", description = "Candidate TREC run.")
    String candidates;

    @Option(names = "--depth", defaultValue = "0", description = "Candidates per query, best first (default: all).")
    int depth;

    @Option(names = "--queries", required = true, paramLabel = "FILE", description = "Queries: BEIR *.jsonl or TSV.")
    String queries;

    @Option(names = "--corpus", required = true, paramLabel = "FILE", description = "Corpus: *.jsonl, *.tsv or Parquet.")
    String corpus;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Parquet output directory.")
    String out;

    @Option(names = "--text-out", required = true, paramLabel = "FILE",
        description = "The `qid docid score` file, written by the driver.")
    Path textOut;

    @Option(names = "--partitions", defaultValue = "0",
        description = "Partitions of the scoring stage (default: spark.default.parallelism).")
    int partitions;

    @Override
    public Integer call() throws IOException {
      return JobMain.withSession("teacher-score", spark -> {
        int n = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
        Dataset<Row> scores = scores(candidatePairs(spark, candidates, depth), TextInputs.queries(spark, queries),
            TextInputs.documents(spark, corpus), model, n, FailureInjection.fromConf(spark));
        JobMain.timed(spark, "teacher-score", "pairs", out, () -> scores.write().mode("overwrite").parquet(out));
        writeText(spark.read().parquet(out), textOut);
      });
    }
  }

  public static void main(String[] args) {
    JobMain.main(new Main(), args);
  }
}
