package io.dualrank.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.SharedData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two shipped dataset definitions against the real data, with the counts of the data README. */
class RealDatasetsTest {
  @Test
  void msmarcoDl() {
    Path root = SharedData.root();
    Dataset d = Dataset.named("msmarco-dl", root);
    Dataset.Summary s = d.validate();
    assertEquals(26_692, s.documents());
    assertEquals(150, s.queries());
    assertEquals(new Dataset.SplitSummary(54 + 53, 11_386 + 10_828, 107, 10_700), s.splits().get("train"));
    assertEquals(new Dataset.SplitSummary(43, 9_260, 43, 4_300), s.splits().get("test"));
    List<Integer> perYear = List.of("19", "20", "21").stream()
        .map(y -> QrelsReader.read(root.resolve("msmarco-dl/qrels.dl" + y + ".txt")).queryIds().size())
        .toList();
    assertEquals(List.of(43, 54, 53), perYear);
    assertEquals(2, d.relevanceLevel());
    Map<String, Document> first = d.corpus().load(d.candidates("test").orElseThrow().topK(1).ranking("264014")
        .stream().map(ScoredDoc::docId).toList());
    assertEquals(List.of("5611210"), List.copyOf(first.keySet()));
  }

  @Test
  void scifact() {
    Dataset d = Dataset.named("scifact", SharedData.root());
    Dataset.Summary s = d.validate();
    assertEquals(5_183, s.documents());
    assertEquals(1_109, s.queries());
    assertEquals(new Dataset.SplitSummary(809, 919, 0, 0), s.splits().get("train"));
    assertEquals(new Dataset.SplitSummary(300, 339, 0, 0), s.splits().get("test"));
    assertTrue(d.candidates("test").isEmpty());
    Document doc = d.corpus().load(List.of("4983")).get("4983");
    assertTrue(doc.title().startsWith("Microstructural development of human newborn cerebral white matter"));
  }
}
