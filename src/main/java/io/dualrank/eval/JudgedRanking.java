package io.dualrank.eval;

import io.dualrank.data.ScoredDoc;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One query's ranking seen through its judgments: what every {@link Measure} reads (trec_eval's
 * {@code res_rels}). Unjudged documents have grade 0. A document is relevant when its grade is at least
 * the relevance level ({@code -l}); {@link #idealGrades()} holds every positive grade of the query's
 * judgments, best first, whatever the level, for nDCG.
 */
public final class JudgedRanking {
  private final int[] grades;
  private final int relevanceLevel;
  private final int numRelevant;
  private final int[] idealGrades;

  private JudgedRanking(int[] grades, int relevanceLevel, int numRelevant, int[] idealGrades) {
    this.grades = grades;
    this.relevanceLevel = relevanceLevel;
    this.numRelevant = numRelevant;
    this.idealGrades = idealGrades;
  }

  /** {@code ranking} in rank order (as a {@link io.dualrank.data.Run} holds it); no document twice. */
  public static JudgedRanking of(List<ScoredDoc> ranking, Map<String, Integer> judgments, int relevanceLevel) {
    int[] grades = new int[ranking.size()];
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < grades.length; i++) {
      String docId = ranking.get(i).docId();
      if (!seen.add(docId)) {
        throw new IllegalArgumentException("document " + docId + " is ranked twice for one query");
      }
      grades[i] = judgments.getOrDefault(docId, 0);
    }
    int numRelevant = (int) judgments.values().stream().filter(g -> g >= relevanceLevel).count();
    int[] ideal = judgments.values().stream().filter(g -> g > 0)
        .sorted((a, b) -> Integer.compare(b, a)).mapToInt(Integer::intValue).toArray();
    return new JudgedRanking(grades, relevanceLevel, numRelevant, ideal);
  }

  /** Number of documents retrieved. */
  public int size() {
    return grades.length;
  }

  /** Grade of the document at 0-based position {@code i}. */
  public int grade(int i) {
    return grades[i];
  }

  public boolean isRelevant(int i) {
    return grades[i] >= relevanceLevel;
  }

  /** Relevant documents in the judgments, retrieved or not. */
  public int numRelevant() {
    return numRelevant;
  }

  /** Number of relevant documents among the first {@code k} retrieved. */
  public int relevantInTop(int k) {
    int n = 0;
    for (int i = 0; i < Math.min(k, grades.length); i++) {
      if (isRelevant(i)) {
        n++;
      }
    }
    return n;
  }

  /** Positive grades of all judged documents, highest first: the ideal ranking's gains. */
  public int[] idealGrades() {
    return idealGrades.clone();
  }
}
