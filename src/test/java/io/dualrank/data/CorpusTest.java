package io.dualrank.data;

import static io.dualrank.data.InputErrors.assertInputError;
import static io.dualrank.data.InputErrors.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
  @TempDir Path dir;

  private static List<Document> all(Corpus c) {
    try (Stream<Document> docs = c.stream()) {
      return docs.toList();
    }
  }

  @Test
  void streamsMsMarcoTsv() {
    Corpus c = Corpus.open(write(dir, "collection.tsv", "10\tfirst passage\n2\tsecond, with Ã¢Â€Â™ mojibake\n30\t\n"));
    assertEquals(List.of(new Document("10", "", "first passage"),
        new Document("2", "", "second, with Ã¢Â€Â™ mojibake"), new Document("30", "", "")), all(c));
    assertEquals(3, c.count());
  }

  @Test
  void streamsBeirJsonLines() {
    Corpus c = Corpus.open(write(dir, "corpus.jsonl", """
        {"_id": "4983", "title": "White matter", "text": "Alterations \\"quoted\\" \\u00e9"}
        {"text": "no title here", "_id": "5836", "metadata": {"a": [1, 2]}}
        """));
    assertEquals(List.of(new Document("4983", "White matter", "Alterations \"quoted\" é"),
        new Document("5836", "", "no title here")), all(c));
    assertEquals("White matter Alterations \"quoted\" é", all(c).get(0).fullText());
  }

  @Test
  void loadsOnlyTheRequestedDocumentsInFileOrder() {
    Corpus c = Corpus.open(write(dir, "collection.tsv", "1\ta\n2\tb\n3\tc\n4\td\n"));
    Map<String, Document> loaded = c.load(List.of("4", "2"));
    assertEquals(List.of("2", "4"), List.copyOf(loaded.keySet()));
    assertEquals("d", loaded.get("4").text());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.load(Set.of("1", "9")));
    assertTrue(e.getMessage().contains("1 of the requested ids are absent, e.g. [9]"), e.getMessage());
  }

  @Test
  void collectsIds() {
    IdSet ids = Corpus.open(write(dir, "c.tsv", "1\ta\nx\tb\n")).ids();
    assertEquals(2, ids.size());
    assertTrue(ids.contains("1") && ids.contains("x"));
    assertFalse(ids.contains("2"));
  }

  @Test
  void rejectsMalformedTsv() {
    Path extraTab = write(dir, "tab.tsv", "1\ta\n2\tb\tc\n");
    assertInputError(extraTab, 2, "2 tab-separated fields (pid \\t text), found 3", () -> all(Corpus.open(extraTab)));
    Path noTab = write(dir, "notab.tsv", "1 a\n");
    assertInputError(noTab, 1, "found 1", () -> Corpus.open(noTab).count());
    Path emptyId = write(dir, "noid.tsv", "1\ta\n\tb\n");
    assertInputError(emptyId, 2, "a non-empty passage id", () -> Corpus.open(emptyId).count());
    Path blank = write(dir, "blank.tsv", "1\ta\n\n2\tb\n");
    assertInputError(blank, 2, "found 1", () -> Corpus.open(blank).count());
  }

  @Test
  void rejectsDuplicateIdsOnEveryPass() {
    Path f = write(dir, "dup.tsv", "1\ta\n2\tb\n1\tc\n");
    assertInputError(f, 3, "a unique id, found '1' again", () -> Corpus.open(f).count());
    assertInputError(f, 3, "a unique id", () -> Corpus.open(f).load(Set.of("2")));
    Path json = write(dir, "dup.jsonl", "{\"_id\": \"a\", \"text\": \"x\"}\n{\"_id\": \"a\", \"text\": \"y\"}\n");
    assertInputError(json, 2, "a unique id, found 'a' again", () -> Corpus.open(json).ids());
  }

  @Test
  void rejectsMalformedJsonLines() {
    String ok = "{\"_id\": \"1\", \"text\": \"t\"}\n";
    Object[][] cases = {
        {"not json", "valid JSON"},
        {"[\"_id\", \"2\"]", "a JSON object"},
        {"{\"_id\": \"2\", \"text\": \"t\"", "valid JSON"},
        {"{\"text\": \"t\"}", "a string member \"_id\""},
        {"{\"_id\": \"2\"}", "a string member \"text\""},
        {"{\"_id\": 2, \"text\": \"t\"}", "a string for \"_id\", found VALUE_NUMBER_INT"},
        {"{\"_id\": \"2\", \"title\": null, \"text\": \"t\"}", "a string for \"title\", found VALUE_NULL"},
        {"{\"_id\": \"2\", \"text\": \"t\"} {\"_id\": \"3\", \"text\": \"u\"}", "one JSON object per line"},
        {"{\"_id\": \"2\", \"_id\": \"3\", \"text\": \"t\"}", "Duplicate field '_id'"},
        {"{\"_id\": \"\", \"text\": \"t\"}", "a non-empty \"_id\""},
    };
    for (int i = 0; i < cases.length; i++) {
      Path f = write(dir, "bad" + i + ".jsonl", ok + cases[i][0] + "\n");
      assertInputError(f, 2, (String) cases[i][1], () -> Corpus.open(f).count());
    }
  }

  @Test
  void rejectsEmptyFilesAndUnknownFormats() {
    Path empty = write(dir, "empty.jsonl", "");
    assertInputError(empty, 0, "a non-empty file", () -> Corpus.open(empty).count());
    Path gz = write(dir, "corpus.jsonl.gz", "x");
    assertThrows(IllegalArgumentException.class, () -> Corpus.open(gz));
  }
}
