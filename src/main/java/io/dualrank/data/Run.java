package io.dualrank.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A ranking per query, as in a TREC run file. Each query's list is held in trec_eval's order: score
 * descending, ties broken by document id descending (byte-wise string comparison), whatever order or ranks
 * the source gave. Immutable once built.
 */
public final class Run {
  /**
   * trec_eval's order ({@code comp_sim_docno} in its {@code form_res_rels.c}): higher score first, compared
   * as C's {@code >} and {@code <} do, so that {@code -0.0} ties with {@code 0.0} ({@code + 0.0} turns the
   * one into the other; {@link Double#compare} alone would not); equal scores by docid descending in UTF-8
   * byte order ({@code strcmp(docno2, docno1)}).
   */
  public static final Comparator<ScoredDoc> TREC_ORDER = (a, b) -> {
    int byScore = Double.compare(b.score() + 0.0, a.score() + 0.0);
    return byScore != 0 ? byScore : Utf8Order.compare(b.docId(), a.docId());
  };

  private final String tag;
  private final Map<String, List<ScoredDoc>> rankings;

  private Run(String tag, Map<String, List<ScoredDoc>> rankings) {
    this.tag = tag;
    this.rankings = rankings;
  }

  /** The run tag (last column of a TREC run line). */
  public String tag() {
    return tag;
  }

  /** Query ids in the order they were first seen. */
  public Set<String> queryIds() {
    return rankings.keySet();
  }

  /** A query's ranking in trec_eval order; empty when the run has no entry for the query. */
  public List<ScoredDoc> ranking(String qid) {
    return rankings.getOrDefault(qid, List.of());
  }

  /** The top {@code k} of every query. */
  public Run topK(int k) {
    Builder b = new Builder(tag);
    rankings.forEach((q, list) -> list.subList(0, Math.min(k, list.size())).forEach(d -> b.add(q, d)));
    return b.build();
  }

  /** This run restricted to the given queries, keeping their order here. */
  public Run restrictTo(Set<String> qids) {
    Builder b = new Builder(tag);
    rankings.forEach((q, list) -> {
      if (qids.contains(q)) {
        list.forEach(d -> b.add(q, d));
      }
    });
    return b.build();
  }

  public int size() {
    return rankings.values().stream().mapToInt(List::size).sum();
  }

  /** Accumulates entries; sorts each query's list into {@link #TREC_ORDER} on {@link #build()}. */
  public static final class Builder {
    private String tag;
    private final Map<String, List<ScoredDoc>> rankings = new LinkedHashMap<>();

    public Builder(String tag) {
      this.tag = tag;
    }

    /** Replaces the tag given so far. */
    public Builder tag(String tag) {
      this.tag = tag;
      return this;
    }

    public boolean isEmpty() {
      return rankings.isEmpty();
    }

    public Builder add(String qid, ScoredDoc doc) {
      rankings.computeIfAbsent(qid, k -> new ArrayList<>()).add(doc);
      return this;
    }

    public Builder add(String qid, String docId, double score) {
      return add(qid, new ScoredDoc(docId, score));
    }

    public Run build() {
      Map<String, List<ScoredDoc>> sorted = new LinkedHashMap<>();
      rankings.forEach((q, list) -> {
        List<ScoredDoc> copy = new ArrayList<>(list);
        copy.sort(TREC_ORDER);
        sorted.put(q, Collections.unmodifiableList(copy));
      });
      return new Run(tag, Collections.unmodifiableMap(sorted));
    }
  }
}
