package io.dualrank.cli;

import io.dualrank.data.Dataset;
import io.dualrank.data.Query;
import io.dualrank.data.Run;
import io.dualrank.data.TrecRunWriter;
import io.dualrank.index.Bm25Index;
import io.dualrank.util.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dualrank bm25 index|search}: first-stage BM25 candidates with Lucene. */
@Command(name = "bm25", mixinStandardHelpOptions = true,
    description = "BM25 with Lucene: index a dataset's corpus, search a split's queries into a TREC run.",
    subcommands = {Bm25Command.Index.class, Bm25Command.Search.class})
final class Bm25Command {

  @Command(name = "index", mixinStandardHelpOptions = true,
      description = "Indexes the corpus (title and text; Lucene English analyzer). The index appears atomically.")
  static final class Index implements Callable<Integer> {
    @Mixin DatasetOptions data;

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index directory to write.")
    Path index;

    @Override
    public Integer call() throws IOException {
      Dataset ds = data.load();
      Progress progress = Progress.stderr("bm25 index", ds.corpus().count(), "docs");
      try (Stream<io.dualrank.data.Document> docs = ds.corpus().stream()) {
        long n = Bm25Index.build(docs, index, progress);
        System.err.println("bm25 index: " + n + " documents in " + index);
      }
      return 0;
    }
  }

  @Command(name = "search", mixinStandardHelpOptions = true,
      description = {"Searches the queries of a split (those with judgments) and writes the top k of each.",
        "Prints trec_eval figures of the run when the split has judgments."})
  static final class Search implements Callable<Integer> {
    @Mixin DatasetOptions data;

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index from `bm25 index`.")
    Path index;

    @Option(names = "--split", required = true, paramLabel = "SPLIT", description = "Split whose queries to search.")
    String split;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "TREC run file to write.")
    Path out;

    @Option(names = "-k", defaultValue = "100", description = "Documents per query. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--k1", defaultValue = "0.9", description = "BM25 k1. Default: ${DEFAULT-VALUE} (Anserini).")
    float k1;

    @Option(names = "--b", defaultValue = "0.4", description = "BM25 b. Default: ${DEFAULT-VALUE} (Anserini).")
    float b;

    @Option(names = "--fields", defaultValue = "flat",
        description = "flat (title+text in one field) or multifield (title and text scored separately, summed)."
            + " Default: ${DEFAULT-VALUE}.")
    String fields;

    @Option(names = "--threads", defaultValue = "2", description = "Search threads. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--tag", defaultValue = "bm25", description = "Run tag. Default: ${DEFAULT-VALUE}.")
    String tag;

    @Override
    public Integer call() throws IOException {
      Dataset ds = data.load();
      var qrels = ds.qrels(split);
      List<Query> queries = new ArrayList<>(ds.queries().load(qrels.queryIds()).values());
      Bm25Index.Fields f = switch (fields) {
        case "flat" -> Bm25Index.Fields.FLAT;
        case "multifield" -> Bm25Index.Fields.MULTIFIELD;
        default -> throw new IllegalArgumentException("--fields must be flat or multifield, got " + fields);
      };
      Run run;
      try (Bm25Index idx = Bm25Index.open(index, k1, b)) {
        run = idx.search(queries, k, f, threads, tag, Progress.stderr("bm25 search", queries.size(), "queries"));
      }
      TrecRunWriter.write(run, out);
      CommandLines.printFigures(qrels, ds.relevanceLevel(), run);
      return 0;
    }
  }
}
