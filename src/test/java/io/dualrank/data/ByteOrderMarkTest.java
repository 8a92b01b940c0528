package io.dualrank.data;

import static io.dualrank.data.InputErrors.assertInputError;
import static io.dualrank.data.InputErrors.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one byte-order-mark rule of every reader ({@link TextLines}): a UTF-8 BOM at the start of a file is
 * dropped, so the first id is the same with or without it; elsewhere U+FEFF is text; a UTF-16 BOM is an
 * error. Before the rule, the TREC, TSV and teacher-score readers kept the BOM in the first id and the
 * BEIR JSON-lines reader rejected the file.
 */
class ByteOrderMarkTest {
  private static final String BOM = "\uFEFF";

  @TempDir Path dir;

  /** {@code content} behind a UTF-8 byte-order mark. */
  private Path withBom(String name, String content) {
    return write(dir, name, BOM + content);
  }

  @Test
  void trecQrelsRunsAndTeacherScoresKeepTheirFirstId() {
    Qrels qrels = QrelsReader.read(withBom("qrels.txt", "q1 0 d1 2\nq2 0 d2 1\n"));
    assertEquals(List.of("q1", "q2"), List.copyOf(qrels.queryIds()));
    assertEquals(2, qrels.grade("q1", "d1"));

    Run run = TrecRunReader.read(withBom("run.trec", "q1 Q0 d1 1 2.0 bm25\nq1 Q0 d2 2 1.0 bm25\n"));
    assertEquals(Set.of("q1"), run.queryIds());

    TeacherScores scores = TeacherScores.read(withBom("scores.txt", "q1 d1 0.5\n"));
    assertEquals(Set.of("q1"), scores.queryIds());
    assertEquals(0.5, scores.score("q1", "d1").getAsDouble());
  }

  @Test
  void beirQrelsKeepTheirHeader() {
    Qrels qrels = QrelsReader.read(withBom("test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\n"));
    assertEquals(1, qrels.grade("q1", "d1"));
  }

  @Test
  void msMarcoTsvAndBeirJsonLinesKeepTheirFirstId() {
    assertEquals(List.of("p1", "p2"),
        ids(Corpus.open(withBom("collection.tsv", "p1\tone\np2\ttwo\n")).stream().map(Document::id)));
    assertEquals(List.of("q1"), List.copyOf(QuerySet.open(withBom("queries.tsv", "q1\tfirst\n")).loadAll().keySet()));
    assertEquals(List.of("d1"), ids(Corpus.open(withBom("corpus.jsonl",
        "{\"_id\": \"d1\", \"title\": \"t\", \"text\": \"x\"}\n")).stream().map(Document::id)));
    assertEquals(Map.of("q1", new Query("q1", "first")),
        QuerySet.open(withBom("queries.jsonl", "{\"_id\": \"q1\", \"text\": \"first\"}\n")).loadAll());
  }

  @Test
  void heldOutQueryListsKeepTheirFirstId() {
    write(dir, "d/collection.tsv", "p1\tone\np2\ttwo\n");
    write(dir, "d/queries.tsv", "q1\tfirst\nq2\tsecond\n");
    write(dir, "d/qrels.txt", "q1 0 p1 1\nq2 0 p2 1\n");
    withBom("defs/held.qids", "q2\n");
    Path yaml = write(dir, "defs/d.yaml", """
        corpus: d/collection.tsv
        queries: d/queries.tsv
        relevanceLevel: 1
        splits:
          train:
            qrels: [d/qrels.txt]
            heldOut: held.qids
        """);
    Dataset d = Dataset.load(yaml, dir);
    assertEquals(Set.of("q2"), d.split("train").heldOut());
    assertEquals(Set.of("q1"), d.qrels("train:fit").queryIds());
  }

  @Test
  void aBomElsewhereIsTextAndAUtf16BomIsAnError() {
    Run run = TrecRunReader.read(write(dir, "inner.trec", "q1 Q0 d1 1 2.0 t\n" + BOM + "q1 Q0 d2 2 1.0 t\n"));
    assertEquals(Set.of("q1", BOM + "q1"), run.queryIds());
    Path onlyBom = withBom("only.trec", "");
    assertInputError(onlyBom, 0, "a non-empty file, found only a byte-order mark", () -> TrecRunReader.read(onlyBom));
    Path utf16 = write(dir, "utf16.txt", (BOM + "q1 0 d1 1\n").getBytes(StandardCharsets.UTF_16LE));
    assertInputError(utf16, 1, "UTF-8 text, found a UTF-16 byte-order mark", () -> QrelsReader.read(utf16));
  }

  private static List<String> ids(Stream<String> ids) {
    try (ids) {
      return ids.toList();
    }
  }
}
