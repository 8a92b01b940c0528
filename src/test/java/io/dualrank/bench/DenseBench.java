package io.dualrank.bench;

import io.dualrank.cli.ModelLoader;
import io.dualrank.data.Corpus;
import io.dualrank.data.Document;
import io.dualrank.data.QuerySet;
import io.dualrank.data.Query;
import io.dualrank.data.ScoredDoc;
import io.dualrank.index.EmbeddedDocument;
import io.dualrank.index.ExactSearch;
import io.dualrank.index.RandomVectors;
import io.dualrank.index.VectorIndex;
import io.dualrank.model.DenseEncoder;
import io.dualrank.model.OnnxRuntimeEncoder;
import io.dualrank.model.PretrainedEncoder;
import io.dualrank.model.RankerModel;
import io.dualrank.model.Ranker;
import io.dualrank.retrieve.DenseRetriever;
import io.dualrank.text.WordPieceTokenizer;
import io.dualrank.util.GitInfo;
import io.dualrank.util.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.lucene.index.VectorSimilarityFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Benchmarks of dense retrieval, run with {@code bench/run <command> [options]} (see
 * docs/results/benchmarks.md). Wall-clock timings of whole operations, printed as Markdown; not unit tests.
 * <ul>
 *   <li>{@code hnsw}: build an HNSW index of synthetic unit vectors; its size; HNSW query latency and
 *       recall@k against exact search, for several candidate counts; exact search latency.
 *   <li>{@code encode}: documents per second of any dual encoder ({@code --model}) on a corpus.
 *   <li>{@code exact}: exact search latency over synthetic vectors held in memory (no index to build).
 *   <li>{@code query}: latency of single-query dense retrieval (encode + HNSW search) from an index, and
 *       HNSW recall@k against exact search on its queries.
 *   <li>{@code rerank}: latency of re-ranking {@code --depth} documents per query with any ranker.
 * </ul>
 * Latencies are per query, one query at a time, after warm-up; p50/p99 are nearest-rank percentiles.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    subcommands = {DenseBench.Hnsw.class, DenseBench.Exact.class, DenseBench.Encode.class, DenseBench.QueryLatency.class, DenseBench.Rerank.class})
public final class DenseBench {
  public static void main(String[] args) {
    int code = new CommandLine(new DenseBench()).execute(args);
    System.out.printf("%nload average at the end: %s%n", loadAverage());
    System.exit(code);
  }

  static void header(String what) {
    System.out.printf(Locale.ROOT, "## %s%ncommit %s, %d cores available, java %s, max heap %d MiB, load average %s%n%n",
        what, GitInfo.current().describe(), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, loadAverage());
  }

  /** The 1, 5 and 15-minute load averages (the machine is shared: other jobs slow the figures down). */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Milliseconds of each call of {@code op(i)}, i = 0..n-1, after {@code warmup} untimed calls. */
  static double[] timeEach(int n, int warmup, IntFunction<?> op) {
    for (int i = 0; i < warmup; i++) {
      op.apply(i % n);
    }
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      op.apply(i);
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    return ms;
  }

  /** "p50 | p99 | mean" (three Markdown table cells) of latencies in milliseconds. */
  static String latency(double[] ms) {
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    return String.format(Locale.ROOT, "%.2f | %.2f | %.2f",
        percentile(sorted, 50), percentile(sorted, 99), Arrays.stream(ms).average().orElse(0));
  }

  static double percentile(double[] sorted, double p) {
    return sorted[Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1)];
  }

  static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  /** Synthetic unit vectors: isotropic when {@code latentDim} is 0, else near a latent subspace. */
  static Function<SplittableRandom, float[]> synthetic(int dim, int latentDim) {
    return latentDim == 0 ? random -> RandomVectors.gaussian(random, dim, true) : RandomVectors.latent(dim, latentDim, 0.1, 1);
  }

  static String describe(int latentDim) {
    return latentDim == 0 ? "isotropic" : "latent dimension " + latentDim + ", noise 0.1";
  }

  @Command(name = "exact", description = "Exact search latency over synthetic unit vectors in memory.")
  static final class Exact implements Callable<Integer> {
    @Option(names = "--vectors", defaultValue = "1000000") int vectors;
    @Option(names = "--dim", defaultValue = "384") int dim;
    @Option(names = "--latent-dim", defaultValue = "32") int latentDim;
    @Option(names = "--queries", defaultValue = "100") int queries;
    @Option(names = "-k", defaultValue = "10") int k;
    @Option(names = "--threads", defaultValue = "2") int threads;

    @Override
    public Integer call() {
      header(String.format(Locale.ROOT, "Exact search: %,d random unit vectors (%s), dimension %d, k %d, %d threads",
          vectors, describe(latentDim), dim, k, threads));
      Function<SplittableRandom, float[]> draw = synthetic(dim, latentDim);
      SplittableRandom random = new SplittableRandom(42);
      float[][] docs = new float[vectors][];
      for (int i = 0; i < vectors; i++) {
        docs[i] = draw.apply(random);
      }
      SplittableRandom queryRandom = new SplittableRandom(7);
      float[][] qs = IntStream.range(0, queries).mapToObj(i -> draw.apply(queryRandom)).toArray(float[][]::new);
      List<String> ids = IntStream.range(0, vectors).mapToObj(Integer::toString).toList();
      try (ExactSearch exact = new ExactSearch(ids, docs, dim, threads)) {
        double[] ms = timeEach(queries, 3, i -> exact.search(qs[i], k));
        System.out.printf(Locale.ROOT, "| search (k=%d) | p50 ms | p99 ms | mean ms |%n|---|---|---|---|%n", k);
        System.out.printf(Locale.ROOT, "| exact, %d threads | %s |%n", threads, latency(ms));
      }
      return 0;
    }
  }

  @Command(name = "hnsw", description = "HNSW vs exact search on synthetic unit vectors.")
  static final class Hnsw implements Callable<Integer> {
    @Option(names = "--vectors", defaultValue = "1000000") int vectors;
    @Option(names = "--dim", defaultValue = "384") int dim;
    @Option(names = "--queries", defaultValue = "200", description = "Queries timed and checked against exact search.")
    int queries;
    @Option(names = "--latent-dim", defaultValue = "32",
        description = "0: isotropic Gaussian vectors; L > 0: vectors near an L-dimensional subspace (noise 0.1).")
    int latentDim;
    @Option(names = "-k", defaultValue = "10") int k;
    @Option(names = "--m", defaultValue = "16") int m;
    @Option(names = "--beam-width", defaultValue = "100") int beamWidth;
    @Option(names = "--candidates", defaultValue = "10,50,100,200", split = ",") int[] candidates;
    @Option(names = "--threads", defaultValue = "2", description = "Index-building and exact-search threads.")
    int threads;
    @Option(names = "--dir", defaultValue = "target/bench-hnsw", description = "Index directory (reused with --reuse).")
    Path dir;
    @Option(names = "--reuse", description = "Search an index built by an earlier run with the same options.")
    boolean reuse;

    @Override
    public Integer call() throws IOException {
      header(String.format(Locale.ROOT, "HNSW vs exact: %,d random unit vectors (%s), dimension %d, M %d, beam width %d",
          vectors, describe(latentDim), dim, m, beamWidth));
      Function<SplittableRandom, float[]> draw = synthetic(dim, latentDim);
      var spec = new VectorIndex.Spec("gaussian-unit", dim, VectorSimilarityFunction.DOT_PRODUCT, m, beamWidth);
      if (!reuse) {
        SplittableRandom random = new SplittableRandom(42);
        Stream<EmbeddedDocument> docs = IntStream.range(0, vectors).mapToObj(i ->
            new EmbeddedDocument(new Document(Integer.toString(i), "", ""), draw.apply(random)));
        long t = System.nanoTime();
        VectorIndex.write(dir, spec, docs, threads, Progress.stderr("build", vectors, "vectors"));
        double secs = (System.nanoTime() - t) / 1e9;
        System.out.printf(Locale.ROOT, "- build: %.1f s (%.0f vectors/s, %d threads)%n", secs, vectors / secs, threads);
      }
      System.out.printf(Locale.ROOT, "- index size: %.1f MiB (raw vectors %.1f MiB)%n", sizeOf(dir) / 1048576.0,
          (double) vectors * dim * 4 / 1048576.0);
      SplittableRandom queryRandom = new SplittableRandom(7);
      float[][] qs = IntStream.range(0, queries).mapToObj(i -> draw.apply(queryRandom)).toArray(float[][]::new);
      try (VectorIndex index = VectorIndex.open(dir); ExactSearch exact = index.exactSearch(threads)) {
        IntStream.range(0, 3).forEach(i -> exact.search(qs[i], k)); // warm-up
        List<List<ScoredDoc>> truth = new ArrayList<>();
        double[] exactMs = timeEach(queries, 0, i -> truth.add(exact.search(qs[i], k)));
        System.out.printf(Locale.ROOT, "%n| search (k=%d) | recall@%d | p50 ms | p99 ms | mean ms |%n|---|---|---|---|---|%n", k, k);
        System.out.printf(Locale.ROOT, "| exact, %d threads | 1 | %s |%n", threads, latency(exactMs));
        for (int c : candidates) {
          double[] ms = timeEach(queries, Math.min(queries, 100), i -> index.search(qs[i], k, c));
          double recall = ExactSearch.recall(truth,
              IntStream.range(0, queries).mapToObj(i -> index.search(qs[i], k, c)).toList());
          System.out.printf(Locale.ROOT, "| HNSW, %d candidates, 1 thread | %.3f | %s |%n", Math.max(k, c), recall,
              latency(ms));
        }
      }
      if (!reuse) {
        System.out.println("\n(index kept in " + dir + "; rerun with --reuse to search it again)");
      }
      return 0;
    }
  }

  @Command(name = "encode", description = "Documents per second of dual encoders on the same documents; how"
      + " far their embeddings are from the first model's.")
  static final class Encode implements Callable<Integer> {
    private static final String PRETRAINED_ORT = "pretrained-ort:";
    @Option(names = "--model", required = true, split = ",",
        description = "Dual encoders, as for `dualrank index --model` (e.g. pytorch:DIR,DIR), or pretrained-ort:DIR:"
            + " ONNX Runtime on the pre-trained encoder that DIR was initialised from.")
    List<String> models;
    @Option(names = "--corpus", required = true) Path corpus;
    @Option(names = "--limit", defaultValue = "2000", description = "Documents encoded (the corpus's first).")
    int limit;
    @Option(names = "--call-size", defaultValue = "0",
        description = "Documents per encodeDocuments call (0: all in one call, as `dualrank rerank` does).")
    int callSize;
    @Option(names = "--max-length", defaultValue = "256",
        description = "Word pieces per document the models keep (for the tokens/s figure).")
    int maxLength;
    @Option(names = "--tokenizer", defaultValue = "all-minilm-l6-v2", description = "The models' tokenizer.")
    String tokenizer;
    @Option(names = "--rounds", defaultValue = "2", description = "Timed rounds per model (best one reported).")
    int rounds;

    @Override
    public Integer call() {
      List<Document> docs;
      try (Stream<Document> all = Corpus.open(corpus).stream()) {
        docs = all.limit(limit).toList();
      }
      long tokens;
      try (WordPieceTokenizer t = PretrainedEncoder.byId(tokenizer).tokenizer()) {
        tokens = t.wordPieceIds(docs.stream().map(Document::fullText).toList()).stream()
            .mapToLong(ids -> Math.min(ids.length, maxLength - 2) + 2).sum();
      }
      header(String.format(Locale.ROOT, "Dual-encoder document encoding: %,d documents of %s, %,d tokens (mean %.1f,"
          + " at most %d), %s", docs.size(), corpus, tokens, (double) tokens / docs.size(), maxLength,
          callSize == 0 ? "one call" : callSize + " documents per call"));
      System.out.println("| model | docs/s | tokens/s | seconds (best of " + rounds + ") | min cosine to first |");
      System.out.println("|---|---|---|---|---|");
      // All models loaded at once, timed in alternation: a change of load on this shared machine hits each alike.
      List<DenseEncoder> encoders = models.stream().map(Encode::load).toList();
      try {
        double[] best = new double[encoders.size()];
        Arrays.fill(best, Double.MAX_VALUE);
        float[][][] vectors = new float[encoders.size()][][];
        for (DenseEncoder encoder : encoders) {
          encode(encoder, docs.subList(0, Math.min(64, docs.size()))); // warm-up
        }
        for (int round = 0; round < rounds; round++) {
          for (int m = 0; m < encoders.size(); m++) {
            long t = System.nanoTime();
            vectors[m] = encode(encoders.get(m), docs);
            best[m] = Math.min(best[m], (System.nanoTime() - t) / 1e9);
          }
        }
        for (int m = 0; m < encoders.size(); m++) {
          System.out.printf(Locale.ROOT, "| %s | %.1f | %.0f | %.2f | %.6f |%n", models.get(m), docs.size() / best[m],
              tokens / best[m], best[m], minCosine(vectors[0], vectors[m]));
        }
      } finally {
        encoders.forEach(DenseEncoder::close);
      }
      return 0;
    }

    /** A model as the commands load it, or {@code pretrained-ort:DIR}: {@link OnnxRuntimeEncoder#pretrained}. */
    private static DenseEncoder load(String spec) {
      if (!spec.startsWith(PRETRAINED_ORT)) {
        return ModelLoader.denseEncoder(spec);
      }
      try {
        return OnnxRuntimeEncoder.pretrained(RankerModel.readConfig(Path.of(spec.substring(PRETRAINED_ORT.length()))),
            Runtime.getRuntime().availableProcessors());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private float[][] encode(DenseEncoder encoder, List<Document> docs) {
      int size = callSize == 0 ? Math.max(1, docs.size()) : callSize;
      List<float[]> out = new ArrayList<>(docs.size());
      for (int from = 0; from < docs.size(); from += size) {
        out.addAll(List.of(encoder.encodeDocuments(docs.subList(from, Math.min(docs.size(), from + size)))));
      }
      return out.toArray(float[][]::new);
    }

    /** The smallest cosine similarity between corresponding rows of {@code a} and {@code b}. */
    static double minCosine(float[][] a, float[][] b) {
      double min = 1;
      for (int i = 0; i < a.length; i++) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int j = 0; j < a[i].length; j++) {
          dot += (double) a[i][j] * b[i][j];
          na += (double) a[i][j] * a[i][j];
          nb += (double) b[i][j] * b[i][j];
        }
        min = Math.min(min, dot / Math.sqrt(na * nb));
      }
      return min;
    }
  }

  @Command(name = "query",
      description = "Latency of single-query dense retrieval (encode + HNSW search) from an index; recall vs exact.")
  static final class QueryLatency implements Callable<Integer> {
    @Option(names = "--index", required = true) Path index;
    @Option(names = "--model", description = "Dual encoder (default: the index's).") String model;
    @Option(names = "--queries", required = true) Path queries;
    @Option(names = "-k", defaultValue = "10") int k;
    @Option(names = "--candidates", defaultValue = "100") int candidates;
    @Option(names = "--limit", defaultValue = "500") int limit;

    @Override
    public Integer call() throws IOException {
      List<Query> qs = QuerySet.open(queries).stream().toList();
      qs = qs.subList(0, Math.min(limit, qs.size()));
      try (VectorIndex vectors = VectorIndex.open(index, candidates)) {
        String encoderName = model != null ? model : vectors.info().spec().encoder();
        search(vectors, encoderName, qs);
      }
      return 0;
    }

    private void search(VectorIndex vectors, String encoderName, List<Query> qs) throws IOException {
      try (DenseEncoder encoder = ModelLoader.denseEncoder(encoderName)) {
        header(String.format(Locale.ROOT, "Dense retrieval latency: %s, %,d documents, k %d, %d candidates",
            encoderName, vectors.size(), k, candidates));
        DenseRetriever retriever = new DenseRetriever(encoder, vectors);
        List<Query> timed = qs;
        int warmup = Math.min(timed.size(), 50);
        double[] encodeMs = timeEach(timed.size(), warmup, i -> encoder.encodeQueries(List.of(timed.get(i).text())));
        double[] ms = timeEach(timed.size(), warmup, i -> retriever.search(timed.get(i).text(), k));
        int threads = Runtime.getRuntime().availableProcessors();
        try (ExactSearch exact = vectors.exactSearch(threads)) {
          DenseRetriever exactRetriever = new DenseRetriever(encoder, exact);
          double[] exactMs = timeEach(timed.size(), warmup, i -> exactRetriever.search(timed.get(i).text(), k));
          System.out.printf(Locale.ROOT, "%d queries, one at a time:%n%n| step | p50 ms | p99 ms | mean ms |%n"
              + "|---|---|---|---|%n", timed.size());
          System.out.printf(Locale.ROOT, "| encode query | %s |%n", latency(encodeMs));
          System.out.printf(Locale.ROOT, "| encode + HNSW search (%d candidates) | %s |%n", candidates, latency(ms));
          System.out.printf(Locale.ROOT, "| encode + exact search (%d threads) | %s |%n", threads, latency(exactMs));
          double recall = ExactSearch.recall(
              timed.stream().map(q -> exactRetriever.search(q.text(), k)).toList(),
              timed.stream().map(q -> retriever.search(q.text(), k)).toList());
          System.out.printf(Locale.ROOT, "%n- HNSW recall@%d against exact search: %.3f%n", k, recall);
        }
      }
    }
  }

  @Command(name = "rerank", description = "Latency of re-ranking --depth documents per query with a ranker.")
  static final class Rerank implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Ranker, as for `dualrank search --rerank`.")
    String model;
    @Option(names = "--corpus", required = true) Path corpus;
    @Option(names = "--queries", required = true) Path queries;
    @Option(names = "--depth", defaultValue = "100") int depth;
    @Option(names = "--limit", defaultValue = "50", description = "Queries timed (after 3 warm-up queries).")
    int limit;

    @Override
    public Integer call() throws IOException {
      List<Query> qs = QuerySet.open(queries).stream().toList();
      qs = qs.subList(0, Math.min(limit, qs.size()));
      List<Document> docs;
      try (Stream<Document> all = Corpus.open(corpus).stream()) {
        docs = all.limit((long) depth * qs.size()).toList();
      }
      header("Re-ranking latency: " + model + ", depth " + depth + ", " + corpus);
      // Query i re-ranks the i-th run of `depth` consecutive corpus documents: realistic lengths, arbitrary relevance.
      List<Query> timed = qs;
      try (Ranker ranker = ModelLoader.ranker(model)) {
        double[] ms = timeEach(timed.size(), 3, i -> {
          int from = i * depth % Math.max(1, docs.size() - depth + 1);
          return ranker.score(timed.get(i).text(), docs.subList(from, Math.min(docs.size(), from + depth)));
        });
        System.out.printf(Locale.ROOT, "- %d queries x %d documents, p50 | p99 | mean ms: %s%n", timed.size(), depth,
            latency(ms));
      }
      return 0;
    }
  }

}
