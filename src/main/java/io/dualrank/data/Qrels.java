package io.dualrank.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Relevance judgments: for each query id, the graded label of each judged document (0 = not relevant).
 * Documents absent from a query's judgments are unjudged and count as non-relevant (the TREC convention).
 * Immutable once built.
 */
public final class Qrels {
  private final Map<String, Map<String, Integer>> judgments;

  private Qrels(Map<String, Map<String, Integer>> judgments) {
    this.judgments = judgments;
  }

  /** Query ids in the order they were first seen. */
  public Set<String> queryIds() {
    return judgments.keySet();
  }

  public boolean hasQuery(String qid) {
    return judgments.containsKey(qid);
  }

  /** Judged documents of a query with their grades; empty when the query has no judgments. */
  public Map<String, Integer> judgments(String qid) {
    return judgments.getOrDefault(qid, Map.of());
  }

  /** The grade of a document for a query, 0 when unjudged. */
  public int grade(String qid, String docId) {
    return judgments(qid).getOrDefault(docId, 0);
  }

  /** Ids of the documents whose grade is at least {@code minGrade}. */
  public Set<String> relevant(String qid, int minGrade) {
    return judgments(qid).entrySet().stream()
        .filter(e -> e.getValue() >= minGrade)
        .map(Map.Entry::getKey)
        .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
  }

  /** These judgments restricted to the given queries (absent ones are ignored). */
  public Qrels restrictTo(Set<String> qids) {
    Builder b = new Builder();
    for (String q : judgments.keySet()) {
      if (qids.contains(q)) {
        judgments.get(q).forEach((d, g) -> b.put(q, d, g));
      }
    }
    return b.build();
  }

  /** Several qrels together; a (query, document) pair judged twice keeps the later grade. */
  public static Qrels union(Iterable<Qrels> parts) {
    Builder b = new Builder();
    for (Qrels p : parts) {
      p.judgments.forEach((q, m) -> m.forEach((d, g) -> b.put(q, d, g)));
    }
    return b.build();
  }

  public int size() {
    return judgments.values().stream().mapToInt(Map::size).sum();
  }

  /** Accumulates judgments; readers check duplicates themselves so they can name the line. */
  public static final class Builder {
    private final Map<String, Map<String, Integer>> judgments = new LinkedHashMap<>();

    /** Records a grade; returns the previous grade of the pair, or null when it was new. */
    public Integer put(String qid, String docId, int grade) {
      return judgments.computeIfAbsent(qid, k -> new LinkedHashMap<>()).put(docId, grade);
    }

    public Qrels build() {
      Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
      judgments.forEach((q, m) -> copy.put(q, Collections.unmodifiableMap(new LinkedHashMap<>(m))));
      return new Qrels(Collections.unmodifiableMap(copy));
    }
  }
}
