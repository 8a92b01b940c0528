package io.dualrank.retrieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.data.Run;
import io.dualrank.data.TrecRunReader;
import io.dualrank.data.TrecRunWriter;
import io.dualrank.model.Architecture;
import io.dualrank.model.ScoringModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A re-ranking killed part-way resumes from its finished parts, scoring only the queries not yet done, and ends
 * with the run an uninterrupted one writes; stale parts (other queries) are redone.
 */
class ResumableRerankTest {
  @TempDir Path dir;

  /** Scores a document by how many of the query's characters it contains; records which queries it scored. */
  private static final class CountingModel implements ScoringModel {
    final List<String> scored = new ArrayList<>();
    final int failAt;

    CountingModel(int failAt) {
      this.failAt = failAt;
    }

    @Override
    public Architecture architecture() {
      return Architecture.CROSS_ENCODER;
    }

    @Override
    public float[] scoreTexts(String query, List<String> documents) {
      if (scored.size() == failAt) {
        throw new IllegalStateException("killed");
      }
      scored.add(query);
      float[] s = new float[documents.size()];
      for (int i = 0; i < s.length; i++) {
        String d = documents.get(i);
        s[i] = (float) query.chars().filter(c -> d.indexOf(c) >= 0).count() / (1 + d.length());
      }
      return s;
    }

    @Override
    public void close() {}
  }

  private final Map<String, String> queries = new LinkedHashMap<>();
  private final Map<String, String> documents = new LinkedHashMap<>();

  private Run candidates() {
    Run.Builder b = new Run.Builder("bm25");
    for (int q = 0; q < 5; q++) {
      queries.put("q" + q, "query number " + q + " about " + "xyzw".substring(0, 1 + q % 4));
      for (int d = 0; d < 4; d++) {
        documents.put("d" + q + d, "document " + d + " of " + "wzyx".repeat(1 + d) + " and " + q);
        b.add("q" + q, "d" + q + d, 10 - d);
      }
    }
    return b.build();
  }

  @Test
  void killedRerankResumesFromItsPartsAndEndsWithTheUninterruptedRun() throws Exception {
    Run candidates = candidates();
    Path whole = dir.resolve("whole.trec");
    CountingModel plain = new CountingModel(-1);
    Run expected = ResumableRerank.rerank(plain, candidates, queries, documents, "ca", whole, 2);
    assertEquals(5, plain.scored.size());
    Run direct = plain.rerank(candidates, queries, documents, "ca", false);
    for (String q : candidates.queryIds()) {
      assertEquals(direct.ranking(q), expected.ranking(q), q);
      assertEquals(direct.ranking(q), TrecRunReader.read(whole).ranking(q), "the file holds the same run: " + q);
    }
    assertFalse(Files.exists(dir.resolve("whole.trec.parts")), "parts removed after the merge");

    Path out = dir.resolve("resumed.trec");
    CountingModel killed = new CountingModel(3); // parts of 2: part 0 written, part 1 killed after q2
    assertThrows(IllegalStateException.class,
        () -> ResumableRerank.rerank(killed, candidates, queries, documents, "ca", out, 2));
    assertFalse(Files.exists(out));
    assertTrue(Files.isRegularFile(dir.resolve("resumed.trec.parts/part-00000.trec")));
    assertFalse(Files.exists(dir.resolve("resumed.trec.parts/part-00001.trec")));

    CountingModel rest = new CountingModel(-1);
    Run resumed = ResumableRerank.rerank(rest, candidates, queries, documents, "ca", out, 2);
    assertEquals(List.of(queries.get("q2"), queries.get("q3"), queries.get("q4")), rest.scored,
        "only the unfinished parts are scored");
    assertEquals(List.copyOf(candidates.queryIds()), List.copyOf(resumed.queryIds()));
    for (String q : candidates.queryIds()) {
      assertEquals(expected.ranking(q), resumed.ranking(q), q);
    }
  }

  @Test
  void aPartOfOtherQueriesIsRedone() throws Exception {
    Run candidates = candidates();
    Path out = dir.resolve("run.trec");
    Files.createDirectories(dir.resolve("run.trec.parts"));
    TrecRunWriter.write(candidates.restrictTo(Set.of("q4")), dir.resolve("run.trec.parts/part-00000.trec"));
    CountingModel model = new CountingModel(-1);
    Run run = ResumableRerank.rerank(model, candidates, queries, documents, "ca", out, 2);
    assertEquals(5, model.scored.size(), "the stale part is scored again");
    assertEquals("ca", run.tag());
    assertThrows(IllegalArgumentException.class,
        () -> ResumableRerank.rerank(model, candidates, queries, documents, "ca", out, 0));
  }
}
