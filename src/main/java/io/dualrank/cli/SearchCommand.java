package io.dualrank.cli;

import io.dualrank.data.Query;
import io.dualrank.data.QuerySet;
import io.dualrank.data.Run;
import io.dualrank.data.TrecRunWriter;
import io.dualrank.index.ExactSearch;
import io.dualrank.index.VectorIndex;
import io.dualrank.model.DenseEncoder;
import io.dualrank.model.Ranker;
import io.dualrank.retrieve.DenseRetriever;
import io.dualrank.retrieve.Reranker;
import io.dualrank.util.Progress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dualrank search}: dense retrieval from a vector index, optionally re-ranked, into a TREC run. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
        "Retrieve the top k documents of each query with the dual encoder from a vector index (HNSW, or exact",
        "with --exact); with --rerank, re-rank each query's top --depth with a cross-encoder (re-ranked documents",
        "first, with the CA's scores; the rest below in DE order). Writes a TREC run."})
final class SearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--index", required = true, description = "Vector index directory (from `dualrank index`).")
  Path index;

  @Option(names = "--queries", required = true,
      description = "Queries: BEIR queries.jsonl ({_id,text}) or TSV (id<TAB>text).")
  Path queries;

  @Option(names = "--model", description = "Dual encoder (default: the one recorded in the index).")
  String model;

  @Option(names = "-k", defaultValue = "1000", description = "Documents per query (default ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--candidates", defaultValue = "100",
      description = "HNSW candidates explored per query, at least k (default ${DEFAULT-VALUE}).")
  int candidates;

  @Option(names = "--exact", description = "Exact (brute-force) search instead of HNSW.")
  boolean exact;

  @Option(names = "--threads", description = "Threads per exact search (default: all cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--rerank", description = "Re-ranker: a model directory (normally a CA) or hashing:<dim>.")
  String rerank;

  @Mixin PrecisionOptions.Inference precision;

  @Option(names = "--depth", defaultValue = "100", description = "Documents re-ranked per query (default ${DEFAULT-VALUE}).")
  int depth;

  @Option(names = "--batch-size", defaultValue = "32", description = "Queries per encoder call (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--tag", defaultValue = "dualrank-dense", description = "Run tag (default ${DEFAULT-VALUE}).")
  String tag;

  @Option(names = "--out", required = true, description = "TREC run file to write.")
  Path out;

  @Override
  public Integer call() throws Exception {
    List<Query> qs = QuerySet.open(queries).stream().toList();
    Run run;
    try (VectorIndex vectors = VectorIndex.open(index, candidates);
        ExactSearch exactSearch = exact ? vectors.exactSearch(threads) : null;
        DenseEncoder encoder = ModelLoader.denseEncoder(model != null ? model : vectors.info().spec().encoder(),
            precision.precision)) {
      DenseRetriever retriever = new DenseRetriever(encoder, exact ? exactSearch : vectors);
      run = retriever.search(qs, k, batchSize, tag, Progress.stderr("search", qs.size(), "queries"));
      if (rerank != null) {
        try (Ranker ranker = ModelLoader.ranker(rerank, precision.precision)) {
          run = new Reranker(ranker, vectors::document)
              .rerank(qs, run, depth, tag, Progress.stderr("rerank", qs.size(), "queries"));
        }
      }
    }
    TrecRunWriter.write(run, out);
    spec.commandLine().getOut().printf("wrote %d results for %d queries to %s%n", run.size(), run.queryIds().size(), out);
    return 0;
  }
}
