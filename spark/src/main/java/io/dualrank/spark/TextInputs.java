package io.dualrank.spark;

import io.dualrank.data.Corpus;
import io.dualrank.data.Document;
import io.dualrank.data.Line;
import io.dualrank.data.Query;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The project's text inputs as Spark tables, split across the cluster: every line is parsed by the core's own
 * parser for its format ({@link Corpus#parse}, {@link io.dualrank.data.QuerySet#parse}), so a bad line fails
 * the job with the core's message naming the file and line. Each row keeps its {@code position}, the 0-based
 * index of its line in the file: the corpus order, which exact search breaks score ties by.
 */
final class TextInputs {
  static final StructType DOCUMENTS = new StructType()
      .add("position", DataTypes.LongType, false).add("docid", DataTypes.StringType, false)
      .add("title", DataTypes.StringType, false).add("text", DataTypes.StringType, false);
  static final StructType QUERIES = new StructType()
      .add("position", DataTypes.LongType, false).add("qid", DataTypes.StringType, false)
      .add("text", DataTypes.StringType, false);

  private TextInputs() {}

  /**
   * A corpus: BEIR {@code *.jsonl} or MS MARCO {@code *.tsv} by the core's parser, else a Parquet table with
   * string columns {@code docid}, {@code text} and optionally {@code title} (positioned in the table's order).
   */
  static Dataset<Row> documents(SparkSession spark, String file) {
    if (file.endsWith(".jsonl") || file.endsWith(".tsv")) {
      return spark.createDataFrame(lines(spark, file).map(line -> {
        Document d = Corpus.parse(line);
        return RowFactory.create(line.number() - 1, d.id(), d.title(), d.text());
      }), DOCUMENTS);
    }
    Dataset<Row> table = spark.read().parquet(file);
    List<String> columns = List.of(table.columns());
    return table.select(functions.monotonically_increasing_id().as("position"), functions.col("docid"),
        columns.contains("title") ? functions.col("title") : functions.lit("").as("title"), functions.col("text"));
  }

  /** A query file: BEIR {@code *.jsonl} or TSV, by the core's parser. */
  static Dataset<Row> queries(SparkSession spark, String file) {
    return spark.createDataFrame(lines(spark, file).map(line -> {
      Query q = io.dualrank.data.QuerySet.parse(line);
      return RowFactory.create(line.number() - 1, q.id(), q.text());
    }), QUERIES);
  }

  /** The lines of a text file with their 1-based numbers. */
  static JavaRDD<Line> lines(SparkSession spark, String file) {
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).textFile(file).zipWithIndex()
        .map(t -> new Line(Path.of(file), t._2() + 1, t._1()));
  }

  /** A document row of {@link #DOCUMENTS} (or any row with docid, title and text columns) as a core document. */
  static Document document(Row row) {
    return new Document(row.getAs("docid"), row.getAs("title"), row.getAs("text"));
  }
}
