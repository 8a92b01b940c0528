package io.dualrank.index;

import io.dualrank.data.Document;
import java.util.Objects;

/** A document with its embedding, as written into a {@link VectorIndex}. */
public record EmbeddedDocument(Document document, float[] vector) {
  public EmbeddedDocument {
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(vector, "vector");
  }
}
