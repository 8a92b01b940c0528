package io.dualrank.serve;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dualrank.data.Document;
import io.dualrank.data.ScoredDoc;
import io.dualrank.index.VectorIndex;
import io.dualrank.model.DenseEncoder;
import io.dualrank.model.Ranker;
import io.dualrank.retrieve.DenseRetriever;
import io.dualrank.retrieve.Reranker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * What the search API answers, independent of HTTP: dense retrieval of a query's top k, and when a
 * re-ranker is configured, the CA re-ranking of the DE's top {@code depth}. Thread-safe (see
 * {@link DenseRetriever} for how encoder calls are serialised; re-rankings run one at a time).
 */
public final class SearchService {
  static final int SNIPPET_CHARS = 240;

  private final DenseRetriever retriever;
  private final Function<String, Document> documents;
  private final Reranker reranker;
  private final int defaultDepth;
  private final Names names;
  private final long documentCount;
  private final int dimension;
  private final AtomicLong searches = new AtomicLong();
  private final AtomicLong abandoned = new AtomicLong();

  /** A search result: rank from 1, and for a re-ranked result, its rank in the DE results. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Hit(int rank, String docid, double score, Integer deRank, String title, String snippet) {}

  /**
   * The answer to a query: the DE top k; and when {@code rerankDepth > 0}, the CA's re-ranking of the DE's
   * top {@code rerankDepth}, cut to k ({@code reranked}, absent otherwise). Times in milliseconds.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Response(String query, int k, int rerankDepth, double tookMs, List<Hit> results, List<Hit> reranked) {}

  /**
   * What the service serves and has done: the index's name and size, the encoder's name, whether (and how deep
   * by default) it re-ranks and with what; searches answered, and re-rankings skipped because the client had
   * gone. Names only, never filesystem paths (see {@link Names}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Health(String status, String index, long documents, int dimension, String encoder, boolean reranker,
      String rerankerModel, int rerankDepth, long searches, long abandonedReranks) {}

  /**
   * The names the service shows for its index, encoder and re-ranker (null: none): a directory's own name, or
   * a model spec that is no path (e.g. {@code hashing:256}) as it is; never a whole path, which tells a
   * client about the server's filesystem.
   */
  public record Names(String index, String encoder, String reranker) {
    /** The names of an index directory and of encoder and re-ranker specs (model directories or {@code hashing:D}). */
    public static Names of(Path index, String encoder, String reranker) {
      return new Names(name(index.toString()), name(encoder), reranker == null ? null : name(reranker));
    }

    /** The last element of a path ({@code pytorch:} prefix kept), e.g. {@code /m/de-msmarco/} → {@code de-msmarco}. */
    static String name(String spec) {
      String prefix = spec.startsWith("pytorch:") ? "pytorch:" : "";
      Path file = Path.of(spec.substring(prefix.length())).toAbsolutePath().normalize().getFileName();
      return prefix + (file == null ? "/" : file.toString());
    }
  }

  /** Thrown by a search whose client had gone before its re-ranking started. */
  public static final class ClientGone extends RuntimeException {
    ClientGone() {
      super("the client closed its connection before the re-ranking", null, false, false);
    }
  }

  /**
   * @param names what {@link #health()} calls the index and models
   * @param encoder the DE that encoded the index's documents (or one compatible with it)
   * @param ranker the CA that re-ranks, or null for DE results only
   * @param defaultDepth re-rank depth when a request names none (ignored without a ranker)
   */
  public SearchService(VectorIndex index, Names names, DenseEncoder encoder, Ranker ranker, int defaultDepth) {
    this.retriever = new DenseRetriever(encoder, index);
    this.documents = index::document;
    this.reranker = ranker == null ? null : new Reranker(ranker, documents);
    this.defaultDepth = ranker == null ? 0 : defaultDepth;
    this.names = names;
    this.documentCount = index.size();
    this.dimension = index.dimension();
  }

  public Health health() {
    return new Health("ok", names.index(), documentCount, dimension, names.encoder(), reranker != null,
        reranker == null ? null : names.reranker(), defaultDepth, searches.get(), abandoned.get());
  }

  public boolean canRerank() {
    return reranker != null;
  }

  public int defaultDepth() {
    return defaultDepth;
  }

  /** Searches one query for a client that stays (see {@link #search(String, int, int, BooleanSupplier)}). */
  public Response search(String query, int k, int depth) {
    return search(query, k, depth, () -> false);
  }

  /**
   * Searches one query.
   *
   * @param depth how many DE results the CA re-ranks (0: none); positive only when {@link #canRerank()}
   * @param clientGone asked when the re-ranking's turn comes (they run one at a time): true skips it
   * @throws ClientGone when {@code clientGone} said so
   */
  public Response search(String query, int k, int depth, BooleanSupplier clientGone) {
    if (depth > 0 && reranker == null) {
      throw new IllegalStateException("no re-ranker configured");
    }
    long start = System.nanoTime();
    List<ScoredDoc> candidates = retriever.search(query, Math.max(k, depth));
    List<Hit> results = hits(candidates.subList(0, Math.min(k, candidates.size())), null);
    List<Hit> reranked = null;
    if (depth > 0) {
      List<ScoredDoc> ranking;
      synchronized (reranker) {
        if (clientGone.getAsBoolean()) {
          abandoned.incrementAndGet();
          throw new ClientGone();
        }
        ranking = reranker.rerank(query, candidates, depth);
      }
      int shown = Math.min(k, Math.min(depth, ranking.size()));
      Map<String, Integer> deRank = new HashMap<>();
      for (int i = 0; i < candidates.size(); i++) {
        deRank.put(candidates.get(i).docId(), i + 1);
      }
      reranked = hits(ranking.subList(0, shown), deRank);
    }
    double tookMs = Math.round((System.nanoTime() - start) / 1e3) / 1e3;
    searches.incrementAndGet();
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
