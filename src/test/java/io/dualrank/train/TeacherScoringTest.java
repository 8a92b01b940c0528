package io.dualrank.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.data.Qrels;
import io.dualrank.data.Run;
import io.dualrank.data.TeacherScores;
import io.dualrank.model.TextScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeacherScoringTest {
  @TempDir Path tmp;

  /** A teacher whose score of (q, d) is the length of q's text times 1000 plus d's; it records every call. */
  private static final class CountingTeacher implements TextScorer {
    final List<String> scoredQueries = new ArrayList<>();
    int pairs;
    int failAfterQueries = Integer.MAX_VALUE;

    @Override
    public float[] scoreTexts(String query, List<String> documents) {
      if (scoredQueries.size() == failAfterQueries) {
        throw new IllegalStateException("killed");
      }
      scoredQueries.add(query);
      pairs += documents.size();
      float[] s = new float[documents.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = query.length() * 1000 + documents.get(i).length();
      }
      return s;
    }
  }

  private static final Map<String, String> INPUTS_A = Map.of("model model.params.sha256", "aaaa", "depth", "100");
  private static final Map<String, String> INPUTS_B = Map.of("model model.params.sha256", "bbbb", "depth", "100");
  private static final Map<String, String> QUERIES = new LinkedHashMap<>();
  private static final Map<String, String> DOCS = new LinkedHashMap<>();
  private static final Map<String, List<String>> PAIRS = new LinkedHashMap<>();

  static {
    for (int q = 0; q < 7; q++) {
      QUERIES.put("q" + q, "query".repeat(q + 1));
      List<String> docs = new ArrayList<>();
      for (int d = 0; d < 3; d++) {
        DOCS.putIfAbsent("d" + (q + d), "doc".repeat(q + d + 1));
        docs.add("d" + (q + d));
      }
      PAIRS.put("q" + q, docs);
    }
  }

  @Test
  void candidatePairsAddTheRelevantDocumentsTheCandidatesMiss() {
    Run run = new Run.Builder("bm25").add("q1", "a", 2).add("q1", "b", 1).build();
    Qrels.Builder qrels = new Qrels.Builder();
    qrels.put("q1", "b", 2);
    qrels.put("q1", "c", 3);
    qrels.put("q1", "outside", 2);
    qrels.put("q1", "d", 1);
    var pairs = TeacherScoring.candidatePairs(run, qrels.build(), 2, Set.of("a", "b", "c", "d"));
    assertEquals(Map.of("q1", List.of("a", "b", "c")), pairs);
  }

  @Test
  void aKilledJobResumesWithoutScoringAnyPairTwice() throws Exception {
    Path out = tmp.resolve("scores.txt");
    CountingTeacher first = new CountingTeacher();
    first.failAfterQueries = 5; // parts of 2 queries: parts 0 and 1 finish, part 2 dies half-way
    assertThrows(IllegalStateException.class,
        () -> TeacherScoring.score(first, PAIRS, QUERIES, DOCS, out, 2, INPUTS_A, false));
    assertFalse(Files.exists(out));

    CountingTeacher second = new CountingTeacher();
    TeacherScores scores = TeacherScoring.score(second, PAIRS, QUERIES, DOCS, out, 2, INPUTS_A, false);
    assertEquals(List.of(QUERIES.get("q4"), QUERIES.get("q5"), QUERIES.get("q6")), second.scoredQueries,
        "only the unfinished parts are scored again");
    assertEquals(21, scores.size());
    for (var e : PAIRS.entrySet()) {
      for (String d : e.getValue()) {
        assertEquals(QUERIES.get(e.getKey()).length() * 1000 + DOCS.get(d).length(),
            scores.score(e.getKey(), d).getAsDouble());
      }
    }
    assertEquals(scores.size(), TeacherScores.read(out).size());
    assertFalse(Files.exists(tmp.resolve("scores.txt.parts")), "parts removed once merged");
    assertTrue(Files.readString(out).startsWith("q0 d0 "));
  }

  @Test
  void aResumeWithOtherInputsIsRefusedNamingWhatChangedOrRestartedWhenAsked() throws Exception {
    Path out = tmp.resolve("scores.txt");
    CountingTeacher first = new CountingTeacher();
    first.failAfterQueries = 5;
    assertThrows(IllegalStateException.class, () -> TeacherScoring.score(first, PAIRS, QUERIES, DOCS, out, 2, INPUTS_A,
        false));

    CountingTeacher other = new CountingTeacher();
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> TeacherScoring.score(other, PAIRS, QUERIES, DOCS, out, 2, INPUTS_B, false));
    assertTrue(refused.getMessage().contains("model model.params.sha256 was aaaa, now bbbb"), refused.getMessage());
    assertFalse(refused.getMessage().contains("depth"), "only what changed is named: " + refused.getMessage());
    assertEquals(List.of(), other.scoredQueries, "nothing scored when refused");
    assertFalse(Files.exists(out));

    TeacherScores restarted = TeacherScoring.score(other, PAIRS, QUERIES, DOCS, out, 2, INPUTS_B, true);
    assertEquals(7, other.scoredQueries.size(), "a restart scores every query again");
    assertEquals(21, restarted.size());
  }

  @Test
  void partsWithNoRecordOfTheirInputsAreRefused() throws Exception {
    Path out = tmp.resolve("scores.txt");
    Path parts = Files.createDirectories(tmp.resolve("scores.txt.parts"));
    Files.writeString(parts.resolve("part-00000.txt"), "q0 d0 1.0\nq0 d1 2.0\nq0 d2 3.0\n"); // an older build's
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> TeacherScoring.score(new CountingTeacher(), PAIRS, QUERIES, DOCS, out, 2, INPUTS_A, false));
    assertTrue(refused.getMessage().contains("no record of the inputs it was made from"), refused.getMessage());
  }
}
