package io.dualrank.data;

import static io.dualrank.data.InputErrors.assertInputError;
import static io.dualrank.data.InputErrors.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QrelsReaderTest {
  @TempDir Path dir;

  @Test
  void readsTrecQrelsWithAnyIterationColumn() {
    Qrels q = QrelsReader.read(write(dir, "qrels.txt", "19335 Q0 1017759 0\n19335 0\t109063   3\n23849 x d1 -1\n"));
    assertEquals(List.of("19335", "23849"), List.copyOf(q.queryIds()));
    assertEquals(Map.of("1017759", 0, "109063", 3), q.judgments("19335"));
    assertEquals(-1, q.grade("23849", "d1"));
    assertEquals(3, q.size());
  }

  /** trec_eval's get_qrels.c skips a line that starts with '#'; before, it was "4 fields ... found 2". */
  @Test
  void skipsCommentLinesAsTrecEvalDoes() {
    Qrels q = QrelsReader.read(write(dir, "commented.txt", "# judged by NIST\n1 0 d1 2\n# more\n1 0 d2 0\n"));
    assertEquals(Map.of("d1", 2, "d2", 0), q.judgments("1"));
  }

  @Test
  void readsBeirQrels() {
    Qrels q = QrelsReader.read(write(dir, "test.tsv", "query-id\tcorpus-id\tscore\n1\t31715818\t1\n3\t14717500\t2\n"));
    assertEquals(Map.of("31715818", 1), q.judgments("1"));
    assertEquals(2, q.grade("3", "14717500"));
    assertEquals(2, q.size());
  }

  @Test
  void unitesSeveralFilesAndRejectsAPairJudgedInTwo() {
    Path a = write(dir, "a.txt", "1 0 d1 1\n");
    Path b = write(dir, "b.tsv", "query-id\tcorpus-id\tscore\n2\td2\t2\n");
    Qrels q = QrelsReader.read(List.of(a, b), KnownIds.ANY);
    assertEquals(Set.of("1", "2"), q.queryIds());
    Path again = write(dir, "c.txt", "3 0 d3 0\n1 0 d1 1\n");
    assertInputError(again, 2, "one judgment per (query, document), found (1, d1) again",
        () -> QrelsReader.read(List.of(a, again), KnownIds.ANY));
  }

  @Test
  void rejectsMalformedTrecQrels() {
    String ok = "1 0 d1 1\n";
    Object[][] cases = {
        {"1 0 d2", "4 whitespace-separated fields (qid iter docid grade), found 3"},
        {"1 0 d2 1 extra", "found 5"},
        {"", "found 0"},
        {"1 0 d2 1.5", "an integer grade, found '1.5'"},
        {"1 0 d2 high", "an integer grade, found 'high'"},
        {"1 0 d1 2", "found (1, d1) again"},
    };
    for (int i = 0; i < cases.length; i++) {
      Path f = write(dir, "bad" + i + ".txt", ok + cases[i][0] + "\n");
      assertInputError(f, 2, (String) cases[i][1], () -> QrelsReader.read(f));
    }
    Path empty = write(dir, "empty.txt", "");
    assertInputError(empty, 0, "a non-empty file", () -> QrelsReader.read(empty));
  }

  @Test
  void rejectsMalformedBeirQrels() {
    Path header = write(dir, "h.tsv", "query-id corpus-id score\n1\td\t1\n");
    assertInputError(header, 1, "the BEIR qrels header", () -> QrelsReader.read(header));
    Path onlyHeader = write(dir, "only.tsv", "query-id\tcorpus-id\tscore\n");
    assertInputError(onlyHeader, 1, "at least one judgment after the header", () -> QrelsReader.read(onlyHeader));
    Path spaces = write(dir, "s.tsv", "query-id\tcorpus-id\tscore\n1\td\t1\n2 d 1\n");
    assertInputError(spaces, 3, "3 tab-separated fields (query-id \\t corpus-id \\t score), found 1",
        () -> QrelsReader.read(spaces));
    Path grade = write(dir, "g.tsv", "query-id\tcorpus-id\tscore\n1\td\tyes\n");
    assertInputError(grade, 2, "an integer grade, found 'yes'", () -> QrelsReader.read(grade));
  }

  @Test
  void rejectsIdsOutsideTheKnownOnes() {
    Path f = write(dir, "q.txt", "1 0 d1 1\n1 0 d2 0\n9 0 d1 1\n");
    KnownIds docsD1 = new KnownIds(q -> true, "d1"::equals);
    assertInputError(f, 2, "a document id of the corpus, found 'd2'", () -> QrelsReader.read(List.of(f), docsD1));
    KnownIds query1 = new KnownIds("1"::equals, d -> true);
    assertInputError(f, 3, "a known query id, found '9'", () -> QrelsReader.read(List.of(f), query1));
  }
}
