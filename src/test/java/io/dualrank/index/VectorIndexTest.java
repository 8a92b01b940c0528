package io.dualrank.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.data.Document;
import io.dualrank.data.ScoredDoc;
import io.dualrank.util.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorIndexTest {
  private static final int DIM = 32;

  @TempDir Path tmp;

  private static Stream<EmbeddedDocument> embedded(float[][] vectors) {
    return IntStream.range(0, vectors.length)
        .mapToObj(i -> new EmbeddedDocument(new Document("d" + i, "title " + i, "text of d" + i), vectors[i]));
  }

  private Path write(float[][] vectors, VectorSimilarityFunction similarity) throws IOException {
    return write(vectors, similarity, 2, similarity.name());
  }

  private Path write(float[][] vectors, VectorSimilarityFunction similarity, int threads, String name) throws IOException {
    Path dir = tmp.resolve(name);
    var spec = new VectorIndex.Spec("random", DIM, similarity, 16, 100);
    VectorIndex.Info info = VectorIndex.write(dir, spec, embedded(vectors), threads, Progress.silent());
    assertEquals(new VectorIndex.Info(spec, vectors.length), info);
    return dir;
  }

  @Test
  void roundTripKeepsMetadataDocumentsAndVectors() throws IOException {
    float[][] vectors = RandomVectors.gaussian(300, DIM, true, 7);
    try (VectorIndex index = VectorIndex.open(write(vectors, VectorSimilarityFunction.DOT_PRODUCT));
        ExactSearch exact = index.exactSearch(1)) {
      assertEquals(new VectorIndex.Spec("random", DIM, VectorSimilarityFunction.DOT_PRODUCT, 16, 100),
          index.info().spec());
      assertEquals(300, index.size());
      assertEquals(new Document("d42", "title 42", "text of d42"), index.document("d42"));
      assertThrows(IllegalArgumentException.class, () -> index.document("nope"));
      // Each stored vector comes back as the best match of itself, with inner product 1.
      for (int i : new int[] {0, 42, 299}) {
        assertEquals(new ScoredDoc("d" + i, 1.0), roundScore(exact.search(vectors[i], 1).get(0)));
        assertEquals(new ScoredDoc("d" + i, 1.0), roundScore(index.search(vectors[i], 1).get(0)));
      }
    }
  }

  private static Map<String, Double> scores(List<ScoredDoc> hits) {
    return hits.stream().collect(Collectors.toMap(ScoredDoc::docId, ScoredDoc::score));
  }

  private static ScoredDoc roundScore(ScoredDoc d) {
    return new ScoredDoc(d.docId(), Math.round(d.score() * 1e5) / 1e5);
  }

  @Test
  void hnswScoresAreRawInnerProductsForBothSimilarities() throws IOException {
    for (boolean unit : new boolean[] {true, false}) {
      var similarity = unit ? VectorSimilarityFunction.DOT_PRODUCT : VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
      float[][] vectors = RandomVectors.gaussian(500, DIM, unit, 11);
      try (VectorIndex index = VectorIndex.open(write(vectors, similarity));
          ExactSearch exact = index.exactSearch(2)) {
        for (float[] q : RandomVectors.gaussian(20, DIM, unit, 12)) {
          Map<String, Double> expected =
              exact.search(q, 500).stream().collect(Collectors.toMap(ScoredDoc::docId, ScoredDoc::score));
          List<ScoredDoc> hits = index.search(q, 50);
          assertEquals(50, hits.size());
          boolean sawNegative = false;
          for (ScoredDoc d : hits) {
            double want = expected.get(d.docId());
            assertEquals(want, d.score(), 1e-5 * Math.max(1, Math.abs(want)), similarity + " " + d);
            sawNegative |= want < 0;
          }
          assertTrue(unit || sawNegative || hits.get(0).score() > 1, "scores span Lucene's two MIP branches");
        }
      }
    }
  }

  @Test
  void hnswRecallAgainstExactSearchIsHigh() throws IOException {
    float[][] vectors = RandomVectors.gaussian(5000, DIM, true, 21);
    float[][] queries = RandomVectors.gaussian(100, DIM, true, 22);
    try (VectorIndex index = VectorIndex.open(write(vectors, VectorSimilarityFunction.DOT_PRODUCT), 100);
        ExactSearch exact = index.exactSearch(2)) {
      double recall = exact.recallOf(index, queries, 10);
      // Random 32-dimensional data is hard for HNSW: exploring only k = 10 candidates finds about 0.7 of the
      // exact top 10 here; with 100 candidates, 0.998.
      assertTrue(recall >= 0.95, "recall@10 " + recall);
      assertTrue(recall <= 1.0);
    }
  }

  @Test
  void buildsOnOneOrSeveralThreadsHoldTheSameDocumentsAndVectors() throws IOException {
    float[][] vectors = RandomVectors.gaussian(2000, DIM, true, 5);
    Path ordered = write(vectors, VectorSimilarityFunction.DOT_PRODUCT, 1, "ordered");
    Path parallel = write(vectors, VectorSimilarityFunction.DOT_PRODUCT, 3, "parallel");
    try (VectorIndex a = VectorIndex.open(ordered); VectorIndex b = VectorIndex.open(parallel);
        ExactSearch exactA = a.exactSearch(1); ExactSearch exactB = b.exactSearch(1)) {
      assertEquals(a.info(), b.info());
      for (float[] q : RandomVectors.gaussian(10, DIM, true, 6)) {
        // Every document's score, compared as a map: equal float scores may rank in either document order.
        assertEquals(scores(exactA.search(q, 2000)), scores(exactB.search(q, 2000)));
      }
      assertEquals(a.document("d1234"), b.document("d1234"));
    }
  }

  @Test
  void dotProductIndexTakesUnitOrZeroVectorsOnly() throws IOException {
    float[][] vectors = RandomVectors.gaussian(10, DIM, true, 3);
    vectors[3] = new float[DIM]; // an encoder's embedding of a text without words
    write(vectors, VectorSimilarityFunction.DOT_PRODUCT);

    vectors[7][0] += 0.5f;
    Path dir = tmp.resolve("unit");
    var spec = new VectorIndex.Spec("random", DIM, VectorSimilarityFunction.DOT_PRODUCT, 16, 100);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VectorIndex.write(dir, spec, embedded(vectors), 1, Progress.silent()));
    assertTrue(e.getMessage().contains("document d7"), e.getMessage());
    assertTrue(Files.notExists(dir), "no partial index is left");

    float[][] many = RandomVectors.gaussian(1000, DIM, true, 4);
    many[900][0] += 0.5f; // found while earlier batches are being added on other threads
    e = assertThrows(IllegalArgumentException.class,
        () -> VectorIndex.write(dir, spec, embedded(many), 2, Progress.silent()));
    assertTrue(e.getMessage().contains("document d900"), e.getMessage());
    assertTrue(Files.notExists(dir), "no partial index is left");
    assertThrows(IllegalArgumentException.class,
        () -> VectorIndex.write(dir, spec, embedded(new float[][] {new float[DIM + 1]}), 1, Progress.silent()));
  }

  @Test
  void rebuildReplacesTheIndexAndQueriesOfTheWrongDimensionFail() throws IOException {
    Path dir = write(RandomVectors.gaussian(50, DIM, true, 1), VectorSimilarityFunction.DOT_PRODUCT);
    write(RandomVectors.gaussian(20, DIM, true, 2), VectorSimilarityFunction.DOT_PRODUCT);
    try (VectorIndex index = VectorIndex.open(dir)) {
      assertEquals(20, index.size());
      assertEquals(20, index.info().documents());
      assertThrows(IllegalArgumentException.class, () -> index.search(new float[DIM - 1], 5));
      assertEquals(5, index.search(new float[DIM], 5).size());
    }
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    IOException e = assertThrows(IOException.class, () -> VectorIndex.open(empty));
    assertTrue(e.getMessage().contains("not a dualrank vector index"), e.getMessage());
  }

  @Test
  void specRejectsSettingsLuceneCannotBuild() {
    assertThrows(IllegalArgumentException.class,
        () -> new VectorIndex.Spec("e", DIM, VectorSimilarityFunction.COSINE, 16, 100));
    assertThrows(IllegalArgumentException.class,
        () -> new VectorIndex.Spec("e", DIM, VectorSimilarityFunction.DOT_PRODUCT, 0, 100));
    assertThrows(IllegalArgumentException.class,
        () -> new VectorIndex.Spec("e", 5000, VectorSimilarityFunction.DOT_PRODUCT, 16, 100));
  }
}
