package io.dualrank.data;

import java.util.Comparator;

/**
 * Strings in the order of their UTF-8 bytes, as C's {@code strcmp} (and so trec_eval) orders ids: the same
 * as code point order. {@link String#compareTo} compares UTF-16 units instead, which puts characters above
 * U+FFFF (stored as surrogates, 0xD800–0xDFFF) before those in U+E000–U+FFFF; this order puts them after.
 * Computed without encoding, for sorting large rankings.
 */
public final class Utf8Order {
  /** Ascending byte order. */
  public static final Comparator<String> ASCENDING = Utf8Order::compare;

  private Utf8Order() {}

  /** Negative, zero or positive as {@code a} sorts before, with or after {@code b} in UTF-8 byte order. */
  public static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return Integer.compare(codePointRank(x), codePointRank(y));
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  /**
   * A UTF-16 unit's place in code point order at the first unit where two strings differ: surrogates
   * (0xD800–0xDFFF, i.e. code points above U+FFFF) are moved above 0xE000–0xFFFF, which move down to make
   * room; the rest keep their value.
   */
  private static int codePointRank(char c) {
    if (c < Character.MIN_SURROGATE) {
      return c;
    }
    return Character.isSurrogate(c) ? c + 0x2000 : c - 0x800;
  }
}
