package io.dualrank.spark;

import io.dualrank.data.Run;
import io.dualrank.data.ScoredDoc;
import io.dualrank.data.TrecRunWriter;
import io.dualrank.index.ExactSearch;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.StreamSupport;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.Tuple2;

/**
 * Spark job {@code search}: exact inner-product top k of every query embedding against every document
 * embedding (tables of {@link EncodeJob}). Each partition of the documents runs the core's
 * {@link ExactSearch} on its documents in corpus order, so its top k are chosen as the single-machine search
 * chooses them (higher score, then earlier document); the partitions' top k are then merged per query on
 * (score descending, position ascending), which gives the very top k of the whole corpus, and written as the
 * core writes a run ({@link Run.Builder}, {@link TrecRunWriter}).
 */
public final class SearchJob {
  private SearchJob() {}

  /** One candidate of a query: a document's corpus position, id and score. */
  record Hit(long position, String docid, float score) implements Serializable {
    /** Better first: higher score, then lower position (the earlier document in the corpus). */
    static final Comparator<Hit> BEST_FIRST =
        Comparator.comparingDouble((Hit h) -> -h.score()).thenComparingLong(Hit::position);
  }

  /** The query embeddings, held by every task. */
  record Queries(String[] ids, float[][] vectors) implements Serializable {}

  /** The top {@code k} documents of every query (ordered by position), as a run tagged {@code tag}. */
  static Run search(Dataset<Row> queryEmbeddings, Dataset<Row> documentEmbeddings, int k, String tag,
      FailureInjection failure) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be positive, got " + k);
    }
    List<Row> qs = queryEmbeddings.orderBy("position").collectAsList();
    Queries queries = new Queries(qs.stream().map(r -> r.<String>getAs("qid")).toArray(String[]::new),
        qs.stream().map(EncodeJob::vector).toArray(float[][]::new));
    Broadcast<Queries> shared = JavaSparkContext.fromSparkContext(queryEmbeddings.sparkSession().sparkContext())
        .broadcast(queries);
    Map<Integer, List<Hit>> merged = documentEmbeddings.javaRDD()
        .mapPartitionsToPair(docs -> failure.apply(partitionTopK(docs, shared.value(), k)))
        .groupByKey()
        .mapValues(hits -> StreamSupport.stream(hits.spliterator(), false).sorted(Hit.BEST_FIRST).limit(k).toList())
        .collectAsMap();
    Run.Builder run = new Run.Builder(tag);
    for (int q = 0; q < queries.ids().length; q++) {
      for (Hit h : merged.getOrDefault(q, List.of())) {
        run.add(queries.ids()[q], h.docid(), h.score());
      }
    }
    return run.build();
  }

  /** Each query's (by index) top {@code k} hits among one partition's document embedding rows. */
  static Iterator<Tuple2<Integer, Hit>> partitionTopK(Iterator<Row> rows, Queries queries, int k) {
    List<Row> docs = new ArrayList<>();
    rows.forEachRemaining(docs::add);
    if (docs.isEmpty()) {
      return List.<Tuple2<Integer, Hit>>of().iterator();
    }
    docs.sort(Comparator.comparingLong(r -> r.<Long>getAs("position")));
    List<String> ids = docs.stream().map(r -> r.<String>getAs("docid")).toList();
    float[][] vectors = docs.stream().map(EncodeJob::vector).toArray(float[][]::new);
    Map<String, Long> positions = new HashMap<>();
    docs.forEach(r -> positions.put(r.getAs("docid"), r.getAs("position")));
    List<Tuple2<Integer, Hit>> out = new ArrayList<>();
    try (ExactSearch search = new ExactSearch(ids, vectors, vectors[0].length, 1)) {
      for (int q = 0; q < queries.ids().length; q++) {
        for (ScoredDoc d : search.search(queries.vectors()[q], k)) {
          out.add(new Tuple2<>(q, new Hit(positions.get(d.docId()), d.docId(), (float) d.score())));
        }
      }
    }
    return out.iterator();
  }

  @Command(name = "search", mixinStandardHelpOptions = true,
      description = "Exact top k of every query embedding against the document embeddings, as a TREC run.")
  static final class Main implements Callable<Integer> {
    @Option(names = "--queries", required = true, paramLabel = "DIR", description = "Query embeddings (encode --queries).")
    String queries;

    @Option(names = "--documents", required = true, paramLabel = "DIR", description = "Document embeddings (encode --corpus).")
    String documents;

    @Option(names = "-k", defaultValue = "1000", description = "Documents per query (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--tag", defaultValue = "dualrank-dense", description = "Run tag (default ${DEFAULT-VALUE}).")
    String tag;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "TREC run file, written by the driver.")
    Path out;

    @Override
    public Integer call() throws IOException {
      return JobMain.withSession("search", spark -> TrecRunWriter.write(search(spark.read().parquet(queries),
          spark.read().parquet(documents), k, tag, FailureInjection.fromConf(spark)), out));
    }
  }

  public static void main(String[] args) {
    JobMain.main(new Main(), args);
  }
}
