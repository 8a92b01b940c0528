package io.dualrank.index;

/**
 * The k best (ordinal, score) pairs seen so far, kept in a binary min-heap of primitive arrays: higher
 * score is better, and of equal scores the lower ordinal (earlier document) is better. Not thread-safe.
 */
final class TopK {
  private final int k;
  private final int[] ords;
  private final float[] scores;
  private int size;

  TopK(int k) {
    this.k = k;
    this.ords = new int[k];
    this.scores = new float[k];
  }

  /** Offers a candidate; kept when fewer than k are held or it beats the worst held. */
  void offer(int ord, float score) {
    if (size < k) {
      ords[size] = ord;
      scores[size] = score;
      siftUp(size++);
    } else if (worse(ords[0], scores[0], ord, score)) {
      ords[0] = ord;
      scores[0] = score;
      siftDown(0);
    }
  }

  /** Offers every pair held by {@code other}. */
  void offerAll(TopK other) {
    for (int i = 0; i < other.size; i++) {
      offer(other.ords[i], other.scores[i]);
    }
  }

  int size() {
    return size;
  }

  /** Empties the heap into {@code ordsOut}/{@code scoresOut}, best first; both need {@link #size()} slots. */
  void drainBestFirst(int[] ordsOut, float[] scoresOut) {
    for (int i = size - 1; i >= 0; i--) {
      ordsOut[i] = ords[0];
      scoresOut[i] = scores[0];
      size--;
      if (size > 0) {
        ords[0] = ords[size];
        scores[0] = scores[size];
        siftDown(0);
      }
    }
  }

  /** Whether (ordA, scoreA) ranks below (ordB, scoreB). */
  private static boolean worse(int ordA, float scoreA, int ordB, float scoreB) {
    return scoreA < scoreB || (scoreA == scoreB && ordA > ordB);
  }

  private void siftUp(int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!worse(ords[i], scores[i], ords[parent], scores[parent])) {
        return;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void siftDown(int i) {
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        return;
      }
      if (child + 1 < size && worse(ords[child + 1], scores[child + 1], ords[child], scores[child])) {
        child++;
      }
      if (!worse(ords[child], scores[child], ords[i], scores[i])) {
        return;
      }
      swap(i, child);
      i = child;
    }
  }

  private void swap(int a, int b) {
    int o = ords[a];
    ords[a] = ords[b];
    ords[b] = o;
    float s = scores[a];
    scores[a] = scores[b];
    scores[b] = s;
  }
}
