package io.dualrank.spark;

import io.dualrank.data.Document;
import io.dualrank.index.DenseIndexer;
import io.dualrank.cli.ModelLoader;
import io.dualrank.index.EmbeddingShards;
import io.dualrank.model.DenseEncoder;
import io.dualrank.util.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Spark job {@code shards}: document embeddings of {@link EncodeJob} (Parquet) converted into the core's
 * {@link EmbeddingShards}, in corpus order, by the driver. Written into {@code <index>.embeddings} with the
 * encoder name and shard size that {@code dualrank index} is then given, the index command finds every shard
 * done (it resumes) and only builds its Lucene HNSW graph, so the core needs no Parquet reader.
 */
public final class ShardsJob {
  private ShardsJob() {}

  /**
   * Writes the embeddings into shards in {@code dir} made for the encoder {@code encoderName} (the
   * {@code --model} given to {@code dualrank index}) with the manifest {@code inputs} that {@code dualrank index}
   * will check (its model's and corpus's checksums, {@link ModelLoader#encodingInputs}); returns how many
   * documents they hold.
   */
  static long write(Dataset<Row> embeddings, String encoderName, Map<String, String> inputs, int shardSize, Path dir)
      throws IOException {
    Row first = embeddings.first();
    int dimension = EncodeJob.vector(first).length;
    EmbeddingShards shards = EmbeddingShards.open(dir, encoderName, dimension, shardSize, inputs);
    Iterator<Row> rows = embeddings.orderBy("position").toLocalIterator();
    try (Precomputed vectors = new Precomputed(dimension)) {
      Stream<Document> docs = StreamSupport.stream(Spliterators.spliteratorUnknownSize(rows, Spliterator.ORDERED),
          false).map(vectors::queue);
      return shards.encode(docs, vectors, shardSize, Progress.silent());
    }
  }

  /**
   * A "dual encoder" that gives the documents of the stream built through {@link #queue} their precomputed
   * embeddings: what {@link EmbeddingShards#encode} writes as they come. Documents the shards skip (those of
   * finished shards, on a resumed conversion) are dropped from the queue.
   */
  private static final class Precomputed implements DenseEncoder {
    private final int dimension;
    private final Deque<Row> queued = new ArrayDeque<>();

    Precomputed(int dimension) {
      this.dimension = dimension;
    }

    Document queue(Row row) {
      queued.add(row);
      return new Document(row.getAs("docid"), "", "");
    }

    @Override
    public float[][] encodeDocuments(List<Document> documents) {
      float[][] out = new float[documents.size()][];
      for (int i = 0; i < out.length; i++) {
        String id = documents.get(i).id();
        while (!queued.isEmpty() && !queued.peek().getAs("docid").equals(id)) {
          queued.poll();
        }
        if (queued.isEmpty()) {
          throw new IllegalStateException("no embedding queued for document " + id);
        }
        out[i] = EncodeJob.vector(queued.poll());
      }
      return out;
    }

    @Override
    public float[][] encodeQueries(List<String> queries) {
      throw new UnsupportedOperationException("precomputed document embeddings encode no queries");
    }

    @Override
    public int dimension() {
      return dimension;
    }

    @Override
    public boolean normalized() {
      return false;
    }

    @Override
    public void close() {
      queued.clear();
    }
  }

  @Command(name = "shards", mixinStandardHelpOptions = true,
      description = {"Converts Parquet document embeddings into <index>.embeddings, where `dualrank index` with the",
        "same --model and --shard-size then finds them all done and only builds the HNSW index."})
  static final class Main implements Callable<Integer> {
    @Option(names = "--embeddings", required = true, paramLabel = "DIR", description = "Document embeddings (encode).")
    String embeddings;

    @Option(names = "--model", required = true, paramLabel = "SPEC",
        description = "The --model that encoded them, as `dualrank index` will be given it.")
    String model;

    @Option(names = "--corpus", required = true, paramLabel = "FILE",
        description = "The corpus they embed, as `dualrank index` will be given it (its checksum goes in the manifest).")
    Path corpus;

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "The index `dualrank index` will build.")
    Path index;

    @Option(names = "--shard-size", defaultValue = "10000", description = "As `dualrank index` (default ${DEFAULT-VALUE}).")
    int shardSize;

    @Override
    public Integer call() throws IOException {
      return JobMain.withSession("shards", spark -> {
        long n = write(spark.read().parquet(embeddings), model, ModelLoader.encodingInputs(model, corpus), shardSize,
            DenseIndexer.embeddingsDir(index));
        System.err.printf("shards: %d embeddings in %s%n", n, DenseIndexer.embeddingsDir(index));
      });
    }
  }

  public static void main(String[] args) {
    JobMain.main(new Main(), args);
  }
}
