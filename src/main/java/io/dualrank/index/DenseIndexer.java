package io.dualrank.index;

import io.dualrank.data.Document;
import io.dualrank.model.DenseEncoder;
import io.dualrank.util.AtomicFiles;
import io.dualrank.util.Progress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Builds a {@link VectorIndex} of a corpus with a dense encoder, in two resumable steps: encode the corpus
 * into {@link EmbeddingShards} in {@link #embeddingsDir} (a killed job re-run with the same arguments
 * continues after the last finished shard), then write the index from the shards and a second pass over
 * the corpus (the index itself is written atomically). The shards are deleted once the index is complete,
 * unless kept to build other indexes (e.g. other HNSW settings) without re-encoding.
 */
public final class DenseIndexer {
  private DenseIndexer() {}

  /**
   * @param batchSize documents per encoder call
   * @param shardSize documents per shard file (the work a killed job can lose)
   * @param threads threads merging HNSW graphs
   * @param keepEmbeddings keep the shards after the index is built
   */
  public record Options(int batchSize, int shardSize, int m, int beamWidth, int threads, boolean keepEmbeddings) {}

  /** Where the embeddings of an index being built are kept: the sibling {@code <index>.embeddings}. */
  public static Path embeddingsDir(Path indexDir) {
    Path abs = indexDir.toAbsolutePath();
    return abs.resolveSibling(abs.getFileName() + ".embeddings");
  }

  /**
   * Encodes the corpus (resuming an interrupted run) and writes the index.
   *
   * @param corpus opens the corpus; called twice, and must list the same documents in the same order
   * @param corpusSize number of documents, for progress (0 when unknown)
   * @param encoderName recorded in the index metadata and the shards' manifest
   * @param inputs the corpus's and encoder weights' checksums, recorded in the shards' manifest (see
   *     {@link EmbeddingShards#open}): a resumed job with other ones is refused
   * @param log where progress lines go (null: nowhere)
   */
  public static VectorIndex.Info build(Supplier<Stream<Document>> corpus, long corpusSize, DenseEncoder encoder,
      String encoderName, Map<String, String> inputs, Path indexDir, Options options, PrintStream log)
      throws IOException {
    Path embeddings = embeddingsDir(indexDir);
    EmbeddingShards shards = EmbeddingShards.open(embeddings, encoderName, encoder.dimension(), options.shardSize(),
        inputs);
    long resumed = shards.encodedDocuments();
    try (Stream<Document> docs = corpus.get()) {
      shards.encode(docs, encoder, options.batchSize(), progress("encode", corpusSize, resumed, log));
    }
    VectorIndex.Spec spec = VectorIndex.Spec.forEncoder(encoderName, encoder, options.m(), options.beamWidth());
    VectorIndex.Info info;
    try (Stream<EmbeddedDocument> docs = shards.embedded(corpus.get())) {
      info = VectorIndex.write(indexDir, spec, docs, options.threads(), progress("index", corpusSize, 0, log));
    }
    if (!options.keepEmbeddings()) {
      AtomicFiles.deleteRecursively(embeddings);
    }
    return info;
  }

  private static Progress progress(String label, long total, long resumed, PrintStream log) {
    return new Progress(label, total, "docs", resumed, log, Duration.ofSeconds(5));
  }
}
