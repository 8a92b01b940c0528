package io.dualrank.cli;

import io.dualrank.data.Corpus;
import io.dualrank.data.Document;
import io.dualrank.index.EmbeddingShards;
import io.dualrank.model.DenseEncoder;
import io.dualrank.util.AtomicFiles;
import io.dualrank.util.Progress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dualrank encode}: a DE's document embeddings of a corpus, to resumable shard files. */
@Command(name = "encode", mixinStandardHelpOptions = true,
    description = {"Encodes every document of a corpus with a dual encoder into shard files (see EmbeddingShards:",
      "ids then float32 vectors, big-endian). A killed job resumes from the last finished shard; a rerun with",
      "another corpus file or model weights is refused, naming what changed (--restart discards the shards)."})
final class EncodeCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "Dual encoder: a model directory (pytorch:<dir> to encode with DJL/PyTorch), or hashing:<dim>.")
  String model;

  @Option(names = "--corpus", required = true, paramLabel = "FILE",
      description = "Corpus: BEIR corpus.jsonl or MS MARCO collection.tsv.")
  Path corpus;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder of the embedding shards.")
  Path out;

  @Option(names = "--batch-size", defaultValue = "64", description = "Documents per encoder call (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--shard-size", defaultValue = "10000", description = "Documents per shard (default ${DEFAULT-VALUE}).")
  int shardSize;

  @Mixin PrecisionOptions.Inference precision;

  @Option(names = "--restart", description = "Delete --out's shards first instead of resuming or refusing.")
  boolean restart;

  @Override
  public Integer call() throws Exception {
    Corpus c = Corpus.open(corpus);
    long total = c.count();
    try (DenseEncoder encoder = ModelLoader.denseEncoder(model, precision.precision); Stream<Document> docs = c.stream()) {
      if (restart) {
        AtomicFiles.deleteRecursively(out);
      }
      EmbeddingShards shards = EmbeddingShards.open(out, model, encoder.dimension(), shardSize,
          ModelLoader.encodingInputs(model, corpus, precision.precision));
      long n = shards.encode(docs, encoder, batchSize, Progress.stderr("encode", total, "docs"));
      System.err.printf("encode: %d documents, dimension %d, in %s%n", n, encoder.dimension(), out);
    }
    return 0;
  }
}
