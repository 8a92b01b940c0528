package io.dualrank.index;

import io.dualrank.data.ScoredDoc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.util.VectorUtil;

/**
 * Exact (flat, brute-force) inner-product search: every query is scored against every embedding, held in
 * memory ({@code 4·dimension} bytes per document). The reference that approximate search is measured
 * against. A query's documents are split into one contiguous slice per thread, each slice keeps its own
 * top k in a heap, and the slices' heaps are merged. Thread-safe.
 */
public final class ExactSearch implements VectorSearch {
  private final String[] ids;
  private final float[][] vectors;
  private final int dimension;
  private final int threads;
  private final ExecutorService pool;

  /**
   * @param ids document ids, one per vector
   * @param vectors the embeddings (not copied), all of length {@code dimension}
   * @param threads how many threads score one query (1: the caller's thread)
   */
  public ExactSearch(List<String> ids, float[][] vectors, int dimension, int threads) {
    if (ids.size() != vectors.length) {
      throw new IllegalArgumentException(ids.size() + " ids for " + vectors.length + " vectors");
    }
    for (float[] v : vectors) {
      if (v.length != dimension) {
        throw new IllegalArgumentException("a vector has length " + v.length + ", expected " + dimension);
      }
    }
    this.ids = ids.toArray(String[]::new);
    this.vectors = vectors;
    this.dimension = dimension;
    this.threads = Math.max(1, threads);
    this.pool = this.threads > 1 ? Executors.newFixedThreadPool(this.threads, r -> {
      Thread t = new Thread(r, "exact-search");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  @Override
  public List<ScoredDoc> search(float[] query, int k) {
    if (query.length != dimension) {
      throw new IllegalArgumentException("query has dimension " + query.length + ", the index " + dimension);
    }
    if (k < 1) {
      throw new IllegalArgumentException("k must be positive, got " + k);
    }
    TopK top = pool == null ? scan(query, k, 0, vectors.length) : parallelScan(query, k);
    int[] ords = new int[top.size()];
    float[] scores = new float[top.size()];
    top.drainBestFirst(ords, scores);
    List<ScoredDoc> hits = new ArrayList<>(ords.length);
    for (int i = 0; i < ords.length; i++) {
      hits.add(new ScoredDoc(ids[ords[i]], scores[i]));
    }
    return hits;
  }

  private TopK scan(float[] query, int k, int from, int to) {
    TopK top = new TopK(k);
    for (int i = from; i < to; i++) {
      top.offer(i, VectorUtil.dotProduct(query, vectors[i]));
    }
    return top;
  }

  private TopK parallelScan(float[] query, int k) {
    int n = vectors.length;
    List<Future<TopK>> slices = new ArrayList<>(threads);
    for (int t = 0; t < threads; t++) {
      int from = (int) ((long) n * t / threads);
      int to = (int) ((long) n * (t + 1) / threads);
      slices.add(pool.submit(() -> scan(query, k, from, to)));
    }
    TopK merged = new TopK(k);
    try {
      for (Future<TopK> slice : slices) {
        merged.offerAll(slice.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("exact search interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    return merged;
  }

  /**
   * Mean recall@k of an approximate search against this exact one: see {@link #recall(List, List)}.
   */
  public double recallOf(VectorSearch approximate, float[][] queries, int k) {
    List<List<ScoredDoc>> exact = new ArrayList<>();
    List<List<ScoredDoc>> found = new ArrayList<>();
    for (float[] q : queries) {
      exact.add(search(q, k));
      found.add(approximate.search(q, k));
    }
    return recall(exact, found);
  }

  /**
   * Mean recall of approximate results against exact ones, as ANN-Benchmarks counts it: for each query, the
   * number of approximate results scoring at least the last exact result's score (less a relative 1e-5 for
   * float rounding), over the number of exact results, at most 1 (1 for a query without exact results). A
   * document tied with the last exact one counts as found: with many equal scores (lexical embeddings), which
   * of them make the top k is arbitrary. Relies on the approximate scores being true inner products, as
   * every {@link VectorSearch}'s are.
   */
  public static double recall(List<List<ScoredDoc>> exact, List<List<ScoredDoc>> approximate) {
    if (exact.size() != approximate.size()) {
      throw new IllegalArgumentException(exact.size() + " exact results, " + approximate.size() + " approximate");
    }
    double sum = 0;
    for (int i = 0; i < exact.size(); i++) {
      List<ScoredDoc> want = exact.get(i);
      if (want.isEmpty()) {
        sum += 1;
        continue;
      }
      double last = want.get(want.size() - 1).score();
      double threshold = last - 1e-5 * Math.max(1, Math.abs(last));
      long found = approximate.get(i).stream().filter(d -> d.score() >= threshold).count();
      sum += Math.min(found, want.size()) / (double) want.size();
    }
    return exact.isEmpty() ? 1 : sum / exact.size();
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int size() {
    return vectors.length;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
