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
        {"q1 Q0 b 2 1.4", "at least 6 whitespace-separated fields (qid Q0 docid rank score tag), found 5"},
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
    Path onlyComments = write(dir, "comments.trec", "# nothing\n\n");
    assertInputError(onlyComments, 0, "at least one run line", () -> TrecRunReader.read(onlyComments));
  }

  /**
   * What trec_eval's get_trec_results.c accepts: blank lines and '#' lines skipped, any rank token (it is
   * never read), columns after the tag ignored, the tag of the last line kept (its runid). Before, each of
   * these was an error ("an integer rank", "found 7", "found 0", "found 2") and the tag was the first line's.
   */
  @Test
  void acceptsWhatTrecEvalAccepts() {
    Run run = TrecRunReader.read(write(dir, "loose.trec", """
        # a comment, as trec_eval skips
        q1 Q0 a 1.5 2.0 first

           \t
          # an indented comment
        q1 Q0 b r2 1.0 second extra columns here
        q2 Q0 c - 3 last
        """));
    assertEquals(List.of("a", "b"), docIds(run, "q1"));
    assertEquals(List.of("c"), docIds(run, "q2"));
    assertEquals("last", run.tag());
  }

  /**
   * Fields split on C's isspace only (space, tab, vertical tab, form feed, carriage return), as trec_eval:
   * an ideographic space (U+3000) or a no-break space (U+00A0) stays in the id. Before, a leading U+3000
   * was stripped from the line (String.strip) and vertical tab / form feed did not separate fields.
   */
  @Test
  void splitsOnAsciiWhitespaceOnly() {
    Run run = TrecRunReader.read(write(dir, "spaces.trec",
        "\u3000q1 Q0 \u00A0d1 1 1.0 t\nq2\u000BQ0\fd2\r1 1.0 t\n"));
    assertEquals(List.of("\u3000q1", "q2"), List.copyOf(run.queryIds()));
    assertEquals(List.of("\u00A0d1"), docIds(run, "\u3000q1"));
    assertEquals(List.of("d2"), docIds(run, "q2"));
    Qrels qrels = QrelsReader.read(write(dir, "spaces.qrels", "\u3000q1 0 \u00A0d1 1\n"));
    assertEquals(1, qrels.grade("\u3000q1", "\u00A0d1"));
  }

  /** trec_eval compares scores with C's > and <: -0 (as Python prints -0.0) ties with 0, the tie broken by docid. */
  @Test
  void negativeZeroTiesWithZero() {
    Run run = TrecRunReader.read(write(dir, "zeros.trec", "q1 Q0 a 1 0 t\nq1 Q0 c 2 -0.0 t\nq1 Q0 b 3 -0 t\n"));
    assertEquals(List.of("c", "b", "a"), docIds(run, "q1")); // before: a (0.0 > -0.0), then c, b
  }

  /**
   * Ties are broken by docid descending in UTF-8 byte order (strcmp): U+1F600 (F0 9F 98 80) is above
   * U+FF21 (EF BC A1), though its UTF-16 form (D83D DE00) is below; before, U+FF21 came first.
   */
  @Test
  void tiedDocidsAreOrderedByTheirUtf8Bytes() {
    Run run = new Run.Builder("t").add("q", "\uFF21", 1).add("q", "\uD83D\uDE00", 1).add("q", "z", 1).build();
    assertEquals(List.of("\uD83D\uDE00", "\uFF21", "z"), docIds(run, "q"));
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
