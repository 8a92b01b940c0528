package io.dualrank.data;

import java.util.Objects;

/** A query: its id and text. */
public record Query(String id, String text) {
  public Query {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
  }
}
