package io.dualrank.data;

import static io.dualrank.data.InputErrors.assertInputError;
import static io.dualrank.data.InputErrors.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuerySetTest {
  @TempDir Path dir;

  @Test
  void readsMsMarcoTsvQueries() {
    QuerySet q = QuerySet.open(write(dir, "queries.tsv", "2082\tAt about what age?\n19335\tanthropological definition\n"));
    Map<String, Query> all = q.loadAll();
    assertEquals(List.of("2082", "19335"), List.copyOf(all.keySet()));
    assertEquals(new Query("19335", "anthropological definition"), all.get("19335"));
    assertEquals(Map.of("2082", new Query("2082", "At about what age?")), q.load(List.of("2082")));
    assertEquals(2, q.count());
  }

  @Test
  void readsBeirQueriesIgnoringMetadata() {
    QuerySet q = QuerySet.open(write(dir, "queries.jsonl", """
        {"_id": "0", "text": "0-dimensional biomaterials", "metadata": {}}
        {"_id": "2", "text": "1 in 5 million", "metadata": {"13734012": [{"sentences": [4], "label": "X"}]}}
        """));
    assertEquals(List.of(new Query("0", "0-dimensional biomaterials"), new Query("2", "1 in 5 million")),
        List.copyOf(q.loadAll().values()));
  }

  @Test
  void rejectsMalformedQueries() {
    Path dup = write(dir, "dup.tsv", "1\ta\n1\tb\n");
    assertInputError(dup, 2, "a unique id, found '1' again", () -> QuerySet.open(dup).loadAll());
    Path cols = write(dir, "cols.tsv", "1\ta\n2\n");
    assertInputError(cols, 2, "2 tab-separated fields (qid \\t text), found 1", () -> QuerySet.open(cols).count());
    Path noText = write(dir, "q.jsonl", "{\"_id\": \"1\", \"title\": \"t\"}\n");
    assertInputError(noText, 1, "a string member \"text\"", () -> QuerySet.open(noText).count());
  }
}
