package io.dualrank.eval;

import io.dualrank.data.ScoredDoc;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One query's ranking seen through its judgments: what every {@link Measure} reads (trec_eval's
 * {@code res_rels}, built in its {@code form_res_rels.c}). A retrieved document is <em>judged</em> when the
 * qrels give it a grade of 0 or more; unjudged ones (absent from the qrels, or with a negative grade, which
 * trec_eval reads as "in the pool but not judged") count as non-relevant everywhere and are skipped by
 * bpref. A judged document is relevant when its grade is at least the relevance level ({@code -l}, 0 or
 * more: with 0 every judged document is relevant). {@link #idealGrades()} holds every positive grade of the
 * query's judgments, best first, whatever the level, for nDCG.
 */
public final class JudgedRanking {
  /** Grade of the retrieved documents absent from the qrels (trec_eval's {@code RELVALUE_NONPOOL}). */
  private static final int NOT_IN_QRELS = Integer.MIN_VALUE;

  private final int[] grades;
  private final int relevanceLevel;
  private final int numRelevant;
  private final int numJudgedNonRelevant;
  private final int[] idealGrades;

  private JudgedRanking(int[] grades, int relevanceLevel, int numRelevant, int numJudgedNonRelevant,
      int[] idealGrades) {
    this.grades = grades;
    this.relevanceLevel = relevanceLevel;
    this.numRelevant = numRelevant;
    this.numJudgedNonRelevant = numJudgedNonRelevant;
    this.idealGrades = idealGrades;
  }

  /**
   * {@code ranking} in rank order (as a {@link io.dualrank.data.Run} holds it; may be empty); no document
   * twice; {@code relevanceLevel} at least 0.
   */
  public static JudgedRanking of(List<ScoredDoc> ranking, Map<String, Integer> judgments, int relevanceLevel) {
    if (relevanceLevel < 0) {
      throw new IllegalArgumentException("relevance level must be at least 0, got " + relevanceLevel);
    }
    int[] grades = new int[ranking.size()];
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < grades.length; i++) {
      String docId = ranking.get(i).docId();
      if (!seen.add(docId)) {
        throw new IllegalArgumentException("document " + docId + " is ranked twice for one query");
      }
      grades[i] = judgments.getOrDefault(docId, NOT_IN_QRELS);
    }
    int numRelevant = (int) judgments.values().stream().filter(g -> g >= relevanceLevel).count();
    int numJudgedNonRelevant = (int) judgments.values().stream().filter(g -> g >= 0 && g < relevanceLevel).count();
    int[] ideal = judgments.values().stream().filter(g -> g > 0)
        .sorted((a, b) -> Integer.compare(b, a)).mapToInt(Integer::intValue).toArray();
    return new JudgedRanking(grades, relevanceLevel, numRelevant, numJudgedNonRelevant, ideal);
  }

  /** Number of documents retrieved. */
  public int size() {
    return grades.length;
  }

  /** Grade of the document at 0-based position {@code i}; 0 when it is not in the qrels. */
  public int grade(int i) {
    return grades[i] == NOT_IN_QRELS ? 0 : grades[i];
  }

  /** Whether the document at position {@code i} has a grade of 0 or more in the qrels. */
  public boolean isJudged(int i) {
    return grades[i] >= 0;
  }

  public boolean isRelevant(int i) {
    return isJudged(i) && grades[i] >= relevanceLevel;
  }

  /** Relevant documents in the judgments, retrieved or not (trec_eval's {@code num_rel}). */
  public int numRelevant() {
    return numRelevant;
  }

  /** Judged documents (grade 0 or more) below the relevance level, retrieved or not: bpref's non-relevant. */
  public int numJudgedNonRelevant() {
    return numJudgedNonRelevant;
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
