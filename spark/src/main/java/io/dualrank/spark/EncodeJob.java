package io.dualrank.spark;

import io.dualrank.cli.ModelLoader;
import io.dualrank.model.DenseEncoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Spark job {@code encode}: a corpus's document embeddings (or a query file's query embeddings) with a dual
 * encoder, as a Parquet table {@code (position long, docid|qid string, vector array<float>)}. Each task
 * borrows its executor's model ({@link ModelPool}) and encodes its partition {@code chunk} records per
 * encoder call; the encoder sorts each call's texts by length into batches ({@code LengthBatches}), as the
 * single-machine {@code dualrank encode} does.
 */
public final class EncodeJob {
  static final int DEFAULT_CHUNK = 1000;

  private EncodeJob() {}

  /** The table of embeddings: position, the id column {@code idColumn}, vector. */
  static StructType schema(String idColumn) {
    return new StructType().add("position", DataTypes.LongType, false).add(idColumn, DataTypes.StringType, false)
        .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);
  }

  /** Document embeddings of rows of {@link TextInputs#DOCUMENTS}. */
  static Dataset<Row> documentEmbeddings(Dataset<Row> documents, String model, int chunk, FailureInjection failure) {
    return documents.sparkSession().createDataFrame(documents.javaRDD().mapPartitions(rows ->
        failure.apply(encode(rows, model, chunk, false))), schema("docid"));
  }

  /** Query embeddings of rows of {@link TextInputs#QUERIES}. */
  static Dataset<Row> queryEmbeddings(Dataset<Row> queries, String model, int chunk, FailureInjection failure) {
    return queries.sparkSession().createDataFrame(queries.javaRDD().mapPartitions(rows ->
        failure.apply(encode(rows, model, chunk, true))), schema("qid"));
  }

  /**
   * The embedding rows (position, id, vector) of one partition's document or query rows, {@code chunk} per
   * encoder call, with the executor's model for {@code model} run on {@code spark.task.cpus} threads.
   */
  static Iterator<Row> encode(Iterator<Row> rows, String model, int chunk, boolean queries) {
    int threads = TaskContext.get().cpus();
    DenseEncoder encoder = ModelPool.forTask(model + "#" + threads, () -> ModelLoader.denseEncoder(model, threads));
    String id = queries ? "qid" : "docid";
    return Chunks.map(rows, chunk, batch -> {
      float[][] vectors = queries
          ? encoder.encodeQueries(batch.stream().map(r -> r.<String>getAs("text")).toList())
          : encoder.encodeDocuments(batch.stream().map(TextInputs::document).toList());
      List<Row> out = new ArrayList<>(batch.size());
      for (int i = 0; i < vectors.length; i++) {
        out.add(RowFactory.create(batch.get(i).getAs("position"), batch.get(i).getAs(id), vectors[i]));
      }
      return out;
    });
  }

  /** A vector column value as floats (a row read from a table, or one made here around a float[]). */
  static float[] vector(Row row) {
    int column = row.fieldIndex("vector");
    if (row.get(column) instanceof float[] floats) {
      return floats;
    }
    List<Float> v = row.getList(column);
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i);
    }
    return out;
  }

  @Command(name = "encode", mixinStandardHelpOptions = true,
      description = "Encodes a corpus (or, with --queries, a query file) into a Parquet table of embeddings.")
  static final class Main implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR",
        description = "Dual encoder model directory, readable by every executor (shared storage or --archives).")
    String model;

    @Option(names = "--corpus", paramLabel = "FILE", description = "Corpus: BEIR *.jsonl, MS MARCO *.tsv or Parquet.")
    String corpus;

    @Option(names = "--queries", paramLabel = "FILE", description = "Queries (BEIR *.jsonl or TSV) instead of a corpus.")
    String queries;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Parquet output directory.")
    String out;

    @Option(names = "--chunk", defaultValue = "" + DEFAULT_CHUNK,
        description = "Records per encoder call, batched by length inside (default ${DEFAULT-VALUE}).")
    int chunk;

    @Override
    public Integer call() throws IOException {
      if ((corpus == null) == (queries == null)) {
        throw new IllegalArgumentException("give exactly one of --corpus and --queries");
      }
      return JobMain.withSession("encode", spark -> {
        FailureInjection failure = FailureInjection.fromConf(spark);
        Dataset<Row> table = corpus != null
            ? documentEmbeddings(TextInputs.documents(spark, corpus), model, chunk, failure)
            : queryEmbeddings(TextInputs.queries(spark, queries), model, chunk, failure);
        JobMain.timed(spark, "encode", "embeddings", out, () -> table.write().mode("overwrite").parquet(out));
      });
    }
  }

  public static void main(String[] args) {
    JobMain.main(new Main(), args);
  }
}
