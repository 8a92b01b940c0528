package io.dualrank.data;

import java.util.Map;

/** Looking up the text of a query or document id in a loaded id → text map. */
public final class Texts {
  private Texts() {}

  /** The text of {@code id}; a missing one is an error naming the id and what it is ("query", "document"). */
  public static String require(Map<String, String> texts, String id, String what) {
    String t = texts.get(id);
    if (t == null) {
      throw new IllegalArgumentException("no text for " + what + " " + id);
    }
    return t;
  }
}
