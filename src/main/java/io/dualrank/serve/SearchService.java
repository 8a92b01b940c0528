package io.dualrank.serve;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dualrank.data.Document;
import io.dualrank.data.ScoredDoc;
import io.dualrank.index.VectorIndex;
import io.dualrank.model.DenseEncoder;
import io.dualrank.model.Ranker;
import io.dualrank.retrieve.DenseRetriever;
import io.dualrank.retrieve.Reranker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the search API answers, independent of HTTP: dense retrieval of a query's top k, and when a
 * re-ranker is configured, the CA re-ranking of the DE's top {@code depth}. Thread-safe (see
 * {@link DenseRetriever} and {@link Reranker} for how model calls are serialised).
 */
public final class SearchService {
  static final int SNIPPET_CHARS = 240;

  private final DenseRetriever retriever;
  private final Function<String, Document> documents;
  private final Reranker reranker;
  private final int defaultDepth;
  private final Health health;

  /** A search result: rank from 1, and for a re-ranked result, its rank in the DE results. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Hit(int rank, String docid, double score, Integer deRank, String title, String snippet) {}

  /**
   * The answer to a query: the DE top k; and when {@code rerankDepth > 0}, the CA's re-ranking of the DE's
   * top {@code rerankDepth}, cut to k ({@code reranked}, absent otherwise). Times in milliseconds.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Response(String query, int k, int rerankDepth, double tookMs, List<Hit> results, List<Hit> reranked) {}

  /** What the service serves: index size, encoder, and whether (and how deep by default) it re-ranks. */
  public record Health(String status, long documents, int dimension, String encoder, boolean reranker, int rerankDepth) {}

  /**
   * @param encoder the DE that encoded the index's documents (or one compatible with it)
   * @param ranker the CA that re-ranks, or null for DE results only
   * @param defaultDepth re-rank depth when a request names none (ignored without a ranker)
   */
  public SearchService(VectorIndex index, DenseEncoder encoder, Ranker ranker, int defaultDepth) {
    this.retriever = new DenseRetriever(encoder, index);
    this.documents = index::document;
    this.reranker = ranker == null ? null : new Reranker(ranker, documents);
    this.defaultDepth = ranker == null ? 0 : defaultDepth;
    this.health = new Health("ok", index.size(), index.dimension(), index.info().spec().encoder(), ranker != null,
        this.defaultDepth);
  }

  public Health health() {
    return health;
  }

  public boolean canRerank() {
    return reranker != null;
  }

  public int defaultDepth() {
    return defaultDepth;
  }

  /**
   * Searches one query.
   *
   * @param depth how many DE results the CA re-ranks (0: none); positive only when {@link #canRerank()}
   */
  public Response search(String query, int k, int depth) {
    if (depth > 0 && reranker == null) {
      throw new IllegalStateException("no re-ranker configured");
    }
    long start = System.nanoTime();
    List<ScoredDoc> candidates = retriever.search(query, Math.max(k, depth));
    List<Hit> results = hits(candidates.subList(0, Math.min(k, candidates.size())), null);
    List<Hit> reranked = null;
    if (depth > 0) {
      List<ScoredDoc> ranking = reranker.rerank(query, candidates, depth);
      int shown = Math.min(k, Math.min(depth, ranking.size()));
      Map<String, Integer> deRank = new HashMap<>();
      for (int i = 0; i < candidates.size(); i++) {
        deRank.put(candidates.get(i).docId(), i + 1);
      }
      reranked = hits(ranking.subList(0, shown), deRank);
    }
    double tookMs = Math.round((System.nanoTime() - start) / 1e3) / 1e3;
    return new Response(query, k, depth, tookMs, results, reranked);
  }

  private List<Hit> hits(List<ScoredDoc> ranking, Map<String, Integer> deRank) {
    List<Hit> hits = new ArrayList<>(ranking.size());
    for (int i = 0; i < ranking.size(); i++) {
      ScoredDoc d = ranking.get(i);
      Document doc = documents.apply(d.docId());
      hits.add(new Hit(i + 1, d.docId(), d.score(), deRank == null ? null : deRank.get(d.docId()),
          doc.title(), snippet(doc.text())));
    }
    return hits;
  }

  /** The start of a text, cut at a word boundary within {@value #SNIPPET_CHARS} characters, with "…". */
  static String snippet(String text) {
    if (text.length() <= SNIPPET_CHARS) {
      return text;
    }
    int cut = text.lastIndexOf(' ', SNIPPET_CHARS);
    return text.substring(0, cut > SNIPPET_CHARS / 2 ? cut : SNIPPET_CHARS).stripTrailing() + "…";
  }
}
