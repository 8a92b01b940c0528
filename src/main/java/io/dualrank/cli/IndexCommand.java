package io.dualrank.cli;

import io.dualrank.data.Corpus;
import io.dualrank.data.Document;
import io.dualrank.index.DenseIndexer;
import io.dualrank.index.VectorIndex;
import io.dualrank.model.DenseEncoder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dualrank index}: encodes a corpus with a dual encoder into an HNSW vector index. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
        "Encode a corpus with a dual encoder and write an HNSW vector index of it.",
        "Resumable: embeddings go to <index>.embeddings in shards; re-running a killed job with the same"
            + " arguments continues after the last finished shard (refused when the corpus or the model changed)."})
final class IndexCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true,
      description = "Dual encoder: a model directory (pytorch:<dir> to encode with DJL/PyTorch), or hashing:<dim>.")
  String model;

  @Option(names = "--corpus", required = true,
      description = "Corpus: BEIR corpus.jsonl ({_id,title,text}) or MS MARCO collection.tsv (id<TAB>text).")
  Path corpus;

  @Option(names = "--index", required = true, description = "Index directory to write (replaced atomically).")
  Path index;

  @Option(names = "--m", defaultValue = "16", description = "HNSW neighbours per node (default ${DEFAULT-VALUE}).")
  int m;

  @Option(names = "--beam-width", defaultValue = "100",
      description = "HNSW construction beam width (default ${DEFAULT-VALUE}).")
  int beamWidth;

  @Option(names = "--batch-size", defaultValue = "1000",
      description = "Documents per encoder call, which batches them by length (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--shard-size", defaultValue = "10000",
      description = "Documents per embedding shard, the most work a killed job loses (default ${DEFAULT-VALUE}).")
  int shardSize;

  @Option(names = "--threads", defaultValue = "1",
      description = "Threads adding documents and merging HNSW graphs (default ${DEFAULT-VALUE}: the same corpus"
          + " gives the same index; more is faster on idle cores).")
  int threads;

  @Mixin PrecisionOptions.Inference precision;

  @Option(names = "--keep-embeddings", description = "Keep <index>.embeddings after the index is built.")
  boolean keepEmbeddings;

  @Override
  public Integer call() throws Exception {
    long documents;
    try (Stream<Document> docs = Corpus.open(corpus).stream()) {
      documents = docs.count();
    }
    var options = new DenseIndexer.Options(batchSize, shardSize, m, beamWidth, threads, keepEmbeddings);
    VectorIndex.Info info;
    try (DenseEncoder encoder = ModelLoader.denseEncoder(model, precision.precision)) {
      info = DenseIndexer.build(() -> Corpus.open(corpus).stream(), documents, encoder, model,
          ModelLoader.encodingInputs(model, corpus, precision.precision), index, options, System.err);
    }
    var s = info.spec();
    spec.commandLine().getOut().printf("indexed %d documents into %s (%s, dimension %d, %s, M %d, beam width %d)%n",
        info.documents(), index, s.encoder(), s.dimension(), s.similarity(), s.m(), s.beamWidth());
    return 0;
  }
}
