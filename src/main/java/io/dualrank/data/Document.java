package io.dualrank.data;

import java.util.Objects;

/** A document of a corpus: id, title (empty when the collection has none, as in MS MARCO) and body text. */
public record Document(String id, String title, String text) {
  public Document {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(text, "text");
  }

  /** The text a model or BM25 sees: {@code title + " " + text}, or the text alone when there is no title. */
  public String fullText() {
    return title.isEmpty() ? text : title + " " + text;
  }
}
