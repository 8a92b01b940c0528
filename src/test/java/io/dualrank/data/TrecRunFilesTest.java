package io.dualrank.data;

import static io.dualrank.data.InputErrors.assertInputError;
import static io.dualrank.data.InputErrors.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TrecRunReader}, {@link TrecRunWriter} and {@link TrecQrelsWriter}. */
class TrecRunFilesTest {
  @TempDir Path dir;

  private static List<String> docIds(Run run, String qid) {
    return run.ranking(qid).stream().map(ScoredDoc::docId).toList();
  }

  @Test
  void ordersByScoreThenDocIdDescendingWhateverTheFileRanks() {
    Run run = TrecRunReader.read(write(dir, "run.trec", """
        q1 Q0 a 1 1.5 bm25
        q1 Q0 c 2 2.0 bm25
        q1 Q0 b 3 1.5 bm25
        q1 Q0 z 4 -3 bm25
        q2\tQ0\td  9  1e-3\tbm25
        """));
    assertEquals("bm25", run.tag());
    assertEquals(List.of("q1", "q2"), List.copyOf(run.queryIds()));
    assertEquals(List.of("c", "b", "a", "z"), docIds(run, "q1"));
    assertEquals(0.001, run.ranking("q2").get(0).score());
    assertEquals(5, run.size());
  }

  @Test
  void rejectsMalformedRuns() {
    String ok = "q1 Q0 a 1 1.5 tag\n";
    Object[][] cases = {
        {"q1 Q0 b 2 1.4", "6 whitespace-separated fields (qid Q0 docid rank score tag), found 5"},
        {"q1 Q0 b 2 1.4 tag extra", "found 7"},
        {"q1 Q0 b two 1.4 tag", "an integer rank, found 'two'"},
        {"q1 Q0 b 2 high tag", "a number score, found 'high'"},
        {"q1 Q0 b 2 NaN tag", "a finite score, found 'NaN'"},
        {"q1 Q0 b 2 -Infinity tag", "a finite score"},
        {"q1 Q0 a 2 1.0 tag", "each document once per query, found (q1, a) again"},
    };
    for (int i = 0; i < cases.length; i++) {
      Path f = write(dir, "bad" + i + ".trec", ok + cases[i][0] + "\n");
      assertInputError(f, 2, (String) cases[i][1], () -> TrecRunReader.read(f));
    }
    Path empty = write(dir, "empty.trec", "");
    assertInputError(empty, 0, "a non-empty file", () -> TrecRunReader.read(empty));
  }

  @Test
  void rejectsIdsOutsideTheKnownOnesAndDuplicatesAcrossFiles() {
    Path a = write(dir, "a.trec", "q1 Q0 d1 1 2 t\nq1 Q0 d2 2 1 t\n");
    assertInputError(a, 2, "a document id of the corpus, found 'd2'",
        () -> TrecRunReader.read(List.of(a), new KnownIds(q -> true, "d1"::equals)));
    assertInputError(a, 1, "a known query id, found 'q1'",
        () -> TrecRunReader.read(List.of(a), new KnownIds("q2"::equals, d -> true)));
    Path b = write(dir, "b.trec", "q2 Q0 d1 1 2 t\nq1 Q0 d2 1 5 t\n");
    assertInputError(b, 2, "found (q1, d2) again", () -> TrecRunReader.read(List.of(a, b), KnownIds.ANY));
  }

  @Test
  void writesRanksInTrecOrderAndReadsBackTheSameRun() throws IOException {
    Run run = new Run.Builder("dense")
        .add("q2", "x", 0.1)
        .add("q1", "a", 0.30000000000000004)
        .add("q1", "b", 0.5)
        .add("q1", "c", 0.5)
        .add("q1", "d", -1e-7)
        .build();
    Path f = dir.resolve("out/run.trec");
    TrecRunWriter.write(run, f);
    assertEquals(List.of(
        "q2 Q0 x 1 0.1 dense",
        "q1 Q0 c 1 0.5 dense",
        "q1 Q0 b 2 0.5 dense",
        "q1 Q0 a 3 0.30000000000000004 dense",
        "q1 Q0 d 4 -1.0E-7 dense"), Files.readAllLines(f));
    Run back = TrecRunReader.read(f);
    assertEquals(run.tag(), back.tag());
    for (String q : run.queryIds()) {
      assertEquals(run.ranking(q), back.ranking(q));
    }
  }

  @Test
  void writesAtomicallyOverAnExistingFileLeavingNoTemporaryFile() throws IOException {
    Path f = write(dir, "run.trec", "old content\n");
    TrecRunWriter.write(new Run.Builder("t").add("q", "d", 1).build(), f);
    assertEquals(List.of("q Q0 d 1 1.0 t"), Files.readAllLines(f));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(f), files.toList());
    }
    Run badTag = new Run.Builder("two words").add("q", "d", 1).build();
    assertThrows(IllegalArgumentException.class, () -> TrecRunWriter.write(badTag, f));
    assertEquals(List.of("q Q0 d 1 1.0 t"), Files.readAllLines(f));
  }

  @Test
  void qrelsRoundTrip() throws IOException {
    Qrels.Builder b = new Qrels.Builder();
    b.put("q2", "d9", 0);
    b.put("q1", "d1", 3);
    b.put("q1", "d2", -1);
    Qrels qrels = b.build();
    Path f = dir.resolve("qrels.txt");
    TrecQrelsWriter.write(qrels, f);
    assertEquals(List.of("q2 0 d9 0", "q1 0 d1 3", "q1 0 d2 -1"), Files.readAllLines(f));
    Qrels back = QrelsReader.read(f);
    assertEquals(List.copyOf(qrels.queryIds()), List.copyOf(back.queryIds()));
    for (String q : qrels.queryIds()) {
      assertEquals(qrels.judgments(q), back.judgments(q));
    }
  }
}
