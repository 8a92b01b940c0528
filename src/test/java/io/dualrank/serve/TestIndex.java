package io.dualrank.serve;

import io.dualrank.data.Document;
import io.dualrank.index.EmbeddedDocument;
import io.dualrank.index.VectorIndex;
import io.dualrank.model.HashingEncoder;
import io.dualrank.util.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/** A small corpus about animals and a hashing-encoder vector index of it, for the service tests. */
final class TestIndex {
  static final HashingEncoder ENCODER = new HashingEncoder(256);
  /** What the services built on this index call it and its models. */
  static final SearchService.Names NAMES = new SearchService.Names("idx", "hashing:256", "hashing:1024");
  private static final String[] ANIMALS = {"cat", "dog", "bird", "fish", "horse", "mouse", "lion", "tiger"};
  private static final String[] VERBS = {"sleeps", "runs", "sings", "swims", "jumps", "hides", "hunts", "eats"};

  static final List<Document> DOCS = IntStream.range(0, 64)
      .mapToObj(i -> new Document("doc" + i, "The " + ANIMALS[i % 8] + " " + VERBS[i / 8],
          "A " + ANIMALS[i % 8] + " that " + VERBS[i / 8] + " near the " + ANIMALS[(i * 5 + 3) % 8] + ". "
              + "It is a long story. ".repeat(i % 20)))
      .toList();

  private TestIndex() {}

  static Path build(Path dir) throws IOException {
    return build(dir, "hashing:256");
  }

  /** The index, recording {@code encoderName} (e.g. a model directory) as the encoder that made it. */
  static Path build(Path dir, String encoderName) throws IOException {
    VectorIndex.Spec spec = VectorIndex.Spec.forEncoder(encoderName, ENCODER, 16, 100);
    VectorIndex.write(dir, spec,
        DOCS.stream().map(d -> new EmbeddedDocument(d, ENCODER.encodeDocuments(List.of(d))[0])), 1, Progress.silent());
    return dir;
  }
}
