package io.dualrank.data;

import java.util.HashSet;
import java.util.Set;

/**
 * A set of document or query ids that stays small for large corpora: ids that are canonical decimal
 * numbers (MS MARCO's, up to 18 digits, no leading zero) live as primitive longs in an open-addressing
 * table, about 16 bytes per id instead of about 80 for a {@code HashSet<String>}; all other ids go to a
 * plain hash set. Exact: "007" and "7" are different ids.
 */
public final class IdSet {
  private static final long EMPTY = 0; // slots hold value + 1
  private long[] slots = new long[1 << 10];
  private int numericCount;
  private final Set<String> others = new HashSet<>();

  /** Adds an id; returns false when it was already there. */
  public boolean add(String id) {
    long v = numericValue(id);
    if (v < 0) {
      return others.add(id);
    }
    if (4 * (numericCount + 1) > 3 * slots.length) {
      grow();
    }
    if (insert(slots, v + 1)) {
      numericCount++;
      return true;
    }
    return false;
  }

  public boolean contains(String id) {
    long v = numericValue(id);
    if (v < 0) {
      return others.contains(id);
    }
    long key = v + 1;
    int mask = slots.length - 1;
    for (int i = slot(key, mask); slots[i] != EMPTY; i = (i + 1) & mask) {
      if (slots[i] == key) {
        return true;
      }
    }
    return false;
  }

  public long size() {
    return (long) numericCount + others.size();
  }

  /** The value of a canonical decimal id, or -1 when the id is anything else. */
  private static long numericValue(String id) {
    int n = id.length();
    if (n == 0 || n > 18 || (n > 1 && id.charAt(0) == '0')) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = 10 * v + (c - '0');
    }
    return v;
  }

  /** Fibonacci hashing: the top log2(table size) bits of key * 2^64/phi. */
  private static int slot(long key, int mask) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - Integer.bitCount(mask)));
  }

  private static boolean insert(long[] table, long key) {
    int mask = table.length - 1;
    int i = slot(key, mask);
    while (table[i] != EMPTY) {
      if (table[i] == key) {
        return false;
      }
      i = (i + 1) & mask;
    }
    table[i] = key;
    return true;
  }

  private void grow() {
    long[] bigger = new long[2 * slots.length];
    for (long key : slots) {
      if (key != EMPTY) {
        insert(bigger, key);
      }
    }
    slots = bigger;
  }
}
