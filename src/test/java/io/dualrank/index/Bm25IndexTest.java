package io.dualrank.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.data.Document;
import io.dualrank.data.Query;
import io.dualrank.data.Run;
import io.dualrank.util.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Bm25IndexTest {
  private static final List<Document> DOCS = List.of(
      new Document("d1", "", "the cat sat on the mat"),
      new Document("d2", "", "dogs chase cats"),
      new Document("d3", "", "a bird sang"),
      new Document("d4", "Cats", "felines rule"));

  private static Path build(Path dir) throws IOException {
    Path index = dir.resolve("idx");
    assertEquals(4, Bm25Index.build(DOCS.stream(), index, Progress.silent()));
    return index;
  }

  @Test
  void scoresMatchTheBm25FormulaOnAHandComputedExample() throws IOException {
    float k1 = 0.9f, b = 0.4f;
    try (Bm25Index index = Bm25Index.open(build(tmp), k1, b)) {
      // "cat" stems to "cat"; "cats" too. It occurs once in d1, d2 and d4 (in the title), so N = 4, df = 3.
      // Analysed lengths (stop words removed): d1 [cat sat mat] = 3, d2 [dog chase cat] = 3,
      // d3 [bird sang] = 2, d4 [cat feline rule] = 3; avgdl = 11/4.
      Map<String, Float> hits = index.search("cat", 10, Bm25Index.Fields.FLAT);
      assertEquals(3, hits.size());
      double idf = Math.log(1 + (4 - 3 + 0.5) / (3 + 0.5));
      double expected = idf * 1 / (1 + k1 * (1 - b + b * 3 / (11 / 4.0)));
      assertEquals(expected, hits.get("d1"), 1e-5);
      assertEquals(expected, hits.get("d2"), 1e-5);
      assertFalse(hits.containsKey("d3"));
    }
  }

  @Test
  void multifieldSearchesTitleAndBodySeparately() throws IOException {
    try (Bm25Index index = Bm25Index.open(build(tmp), 0.9f, 0.4f)) {
      Map<String, Float> flat = index.search("felines cats", 10, Bm25Index.Fields.FLAT);
      Map<String, Float> multi = index.search("felines cats", 10, Bm25Index.Fields.MULTIFIELD);
      assertEquals("d4", flat.keySet().iterator().next());
      assertEquals("d4", multi.keySet().iterator().next());
      assertTrue(multi.keySet().containsAll(List.of("d1", "d2", "d4")));
    }
  }

  @Test
  void runHoldsTopKPerQueryInTrecOrder() throws IOException {
    try (Bm25Index index = Bm25Index.open(build(tmp), 1.2f, 0.75f)) {
      Run run = index.search(List.of(new Query("q1", "cat"), new Query("q2", "bird song"), new Query("q3", "zebra")),
          2, Bm25Index.Fields.FLAT, 2, "bm25", Progress.silent());
      assertEquals(2, run.ranking("q1").size());
      assertEquals("d3", run.ranking("q2").get(0).docId());
      assertTrue(run.ranking("q3").isEmpty());
      // d1 and d2 tie on "cat"; trec_eval order puts the larger docid first.
      assertEquals(List.of("d2", "d1"), run.ranking("q1").stream().map(d -> d.docId()).toList());
    }
  }

  @Test
  void rebuildingReplacesTheIndexAndOpeningANonIndexFails() throws IOException {
    Path index = build(tmp);
    Bm25Index.build(DOCS.subList(0, 2).stream(), index, Progress.silent());
    try (Bm25Index reopened = Bm25Index.open(index, 0.9f, 0.4f)) {
      assertEquals(2, reopened.numDocs());
    }
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    IOException e = assertThrows(IOException.class, () -> Bm25Index.open(empty, 0.9f, 0.4f));
    assertTrue(e.getMessage().contains("not a dualrank BM25 index"), e.getMessage());
  }

  @TempDir Path tmp;
}
