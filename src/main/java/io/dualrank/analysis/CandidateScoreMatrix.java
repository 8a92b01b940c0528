package io.dualrank.analysis;

/**
 * A teacher's score matrix S [n queries × m documents] and which (query, document) entries are candidates,
 * i.e. were actually scored. In the real pipeline these are the cross-attention teacher's scores of each
 * query's re-ranking candidates; entries outside the candidate set are never read.
 */
public final class CandidateScoreMatrix {
  private final float[][] scores;
  private final boolean[][] candidates;

  private CandidateScoreMatrix(float[][] scores, boolean[][] candidates) {
    this.scores = scores;
    this.candidates = candidates;
  }

  /** Every entry a candidate. */
  public static CandidateScoreMatrix full(float[][] scores) {
    boolean[][] all = new boolean[scores.length][];
    for (int q = 0; q < scores.length; q++) {
      all[q] = new boolean[scores[q].length];
      java.util.Arrays.fill(all[q], true);
    }
    return of(scores, all);
  }

  /**
   * Scores with their candidate mask; both must be rectangular and of the same shape, every query needs at
   * least one candidate, and candidate scores must be finite. The arrays are copied.
   */
  public static CandidateScoreMatrix of(float[][] scores, boolean[][] candidates) {
    if (scores.length == 0 || scores[0].length == 0) {
      throw new IllegalArgumentException("empty score matrix");
    }
    if (candidates.length != scores.length) {
      throw new IllegalArgumentException("mask has " + candidates.length + " rows, scores " + scores.length);
    }
    int m = scores[0].length;
    float[][] s = new float[scores.length][];
    boolean[][] c = new boolean[scores.length][];
    for (int q = 0; q < scores.length; q++) {
      if (scores[q].length != m || candidates[q].length != m) {
        throw new IllegalArgumentException("row " + q + " is not " + m + " long");
      }
      s[q] = scores[q].clone();
      c[q] = candidates[q].clone();
      int count = 0;
      for (int d = 0; d < m; d++) {
        if (c[q][d]) {
          count++;
          if (!Float.isFinite(s[q][d])) {
            throw new IllegalArgumentException("score (" + q + ", " + d + ") is " + s[q][d]);
          }
        }
      }
      if (count == 0) {
        throw new IllegalArgumentException("query " + q + " has no candidate");
      }
    }
    return new CandidateScoreMatrix(s, c);
  }

  public int queries() {
    return scores.length;
  }

  public int documents() {
    return scores[0].length;
  }

  public float score(int query, int document) {
    return scores[query][document];
  }

  /**
   * The query's candidate documents, the teacher's top-scored one first (ties: lowest document index), the
   * others in document order. This is the loss convention of {@code io.dualrank.loss}: column 0 = positive.
   */
  public int[] candidateList(int query) {
    int[] list = new int[candidateCount(query)];
    int best = -1;
    for (int d = 0; d < documents(); d++) {
      if (candidates[query][d] && (best < 0 || scores[query][d] > scores[query][best])) {
        best = d;
      }
    }
    list[0] = best;
    int n = 1;
    for (int d = 0; d < documents(); d++) {
      if (candidates[query][d] && d != best) {
        list[n++] = d;
      }
    }
    return list;
  }

  public int candidateCount(int query) {
    int count = 0;
    for (boolean c : candidates[query]) {
      count += c ? 1 : 0;
    }
    return count;
  }

  /**
   * S with every non-candidate entry set to 0. Its rank bounds from above the smallest rank of any matrix
   * that agrees with S on the candidates (it is one such matrix), hence the embedding dimension a dual
   * encoder needs to reproduce the candidate scores exactly; for a full matrix it is S itself.
   */
  public double[][] zeroFilled() {
    double[][] filled = new double[queries()][documents()];
    for (int q = 0; q < queries(); q++) {
      for (int d = 0; d < documents(); d++) {
        filled[q][d] = candidates[q][d] ? scores[q][d] : 0;
      }
    }
    return filled;
  }
}
