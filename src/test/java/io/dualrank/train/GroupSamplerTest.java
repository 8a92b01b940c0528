package io.dualrank.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.data.Qrels;
import io.dualrank.data.Run;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroupSamplerTest {
  private static Qrels qrels() {
    Qrels.Builder b = new Qrels.Builder();
    b.put("q1", "a", 3);
    b.put("q1", "b", 1); // below the threshold 2: a negative
    b.put("q2", "x", 2);
    b.put("q3", "z", 0); // no relevant document: left out
    return b.build();
  }

  private static Run candidates() {
    Run.Builder r = new Run.Builder("bm25");
    String[] docs = {"a", "b", "c", "d", "e", "f"};
    for (int i = 0; i < docs.length; i++) {
      r.add("q1", docs[i], 10 - i);
      r.add("q2", docs[i], 10 - i);
      r.add("q3", docs[i], 10 - i);
    }
    r.add("q2", "x", 0.5);
    return r.build();
  }

  @Test
  void groupsHoldARelevantDocAndNonRelevantCandidatesFromTheTopDepth() {
    GroupSampler s = new GroupSampler(qrels(), candidates(), 2, 2, 0, 4, 7);
    assertEquals(List.of("q1", "q2"), s.queryIds());
    for (int step = 0; step < 20; step++) {
      for (TrainingGroup g : s.batch(step, 3)) {
        assertEquals(2, g.negatives().size());
        assertEquals(2, new HashSet<>(g.negatives()).size(), "drawn without replacement");
        if (g.queryId().equals("q1")) {
          assertEquals("a", g.positive());
          assertTrue(Set.of("b", "c", "d").containsAll(g.negatives()), g.toString());
        } else {
          assertEquals("x", g.positive());
          assertTrue(Set.of("a", "b", "c", "d").containsAll(g.negatives()), g.toString());
        }
        assertEquals(g.positive(), g.documents().get(0));
      }
    }
  }

  @Test
  void everyQueryAppearsOncePerEpochAndSamplingDependsOnlyOnSeedAndStep() {
    GroupSampler s = new GroupSampler(qrels(), candidates(), 2, 1, 0, 6, 7);
    List<TrainingGroup> epoch = s.batch(0, 2);
    assertEquals(Set.of("q1", "q2"), Set.of(epoch.get(0).queryId(), epoch.get(1).queryId()));
    GroupSampler again = new GroupSampler(qrels(), candidates(), 2, 1, 0, 6, 7);
    assertEquals(s.batch(5, 2), again.batch(5, 2));
    assertEquals(s.batch(5, 2), s.batch(5, 2));
    boolean differs = false;
    GroupSampler other = new GroupSampler(qrels(), candidates(), 2, 1, 0, 6, 8);
    for (int step = 0; step < 10; step++) {
      differs |= !s.batch(step, 2).equals(other.batch(step, 2));
    }
    assertTrue(differs, "another seed gives other draws");
  }

  @Test
  void aShortPoolGivesFewerNegatives() {
    GroupSampler s = new GroupSampler(qrels(), candidates(), 2, 5, 0, 2, 7);
    for (TrainingGroup g : s.batch(0, 2)) {
      if (g.queryId().equals("q1")) {
        assertEquals(List.of("b"), g.negatives()); // top 2 = a (relevant), b
      } else {
        assertEquals(Set.of("a", "b"), Set.copyOf(g.negatives()));
      }
    }
  }

  @Test
  void crossQueryNegativesAreOtherQueriesPositivesAndLeaveTheHardDrawsAsTheyWere() {
    Qrels.Builder b = new Qrels.Builder();
    b.put("q1", "a", 3);
    b.put("q1", "x", 2); // relevant to q1 and q2: never q1's nor q2's cross-query negative
    b.put("q2", "x", 2);
    b.put("q4", "y", 2);
    b.put("q4", "w", 3);
    Run.Builder r = new Run.Builder("bm25");
    for (String q : List.of("q1", "q2", "q4")) {
      for (String d : List.of("a", "c", "d", "e", "x", "y")) {
        r.add(q, d, 1);
      }
    }
    Qrels qrels = b.build();
    Run run = r.build();
    GroupSampler plain = new GroupSampler(qrels, run, 2, 2, 0, 6, 3);
    GroupSampler cross = new GroupSampler(qrels, run, 2, 2, 2, 6, 3);
    Set<String> seen = new HashSet<>();
    for (int step = 0; step < 30; step++) {
      List<TrainingGroup> before = plain.batch(step, 3);
      List<TrainingGroup> after = cross.batch(step, 3);
      for (int i = 0; i < 3; i++) {
        TrainingGroup g = after.get(i);
        assertEquals(before.get(i).positive(), g.positive());
        assertEquals(before.get(i).negatives(), g.negatives().subList(0, 2), "hard draws unchanged");
        List<String> extra = g.negatives().subList(2, g.negatives().size());
        Set<String> relevant = qrels.relevant(g.queryId(), 2);
        Set<String> available = new HashSet<>(Set.of("a", "x", "y", "w"));
        available.removeAll(relevant);
        available.removeAll(g.negatives().subList(0, 2));
        assertEquals(Math.min(2, available.size()), extra.size(), g.toString());
        for (String d : extra) {
          assertTrue(Set.of("a", "x", "y", "w").contains(d), "another query's positive: " + g);
          assertFalse(relevant.contains(d), "not relevant to its own query: " + g);
        }
        assertEquals(g.negatives().size(), new HashSet<>(g.negatives()).size(), "no document twice: " + g);
        seen.add(g.queryId() + ":" + String.join(",", extra));
      }
    }
    assertTrue(seen.stream().anyMatch(k -> k.startsWith("q4:") && k.contains("a") && k.contains("x")),
        "q4 draws from q1's and q2's positives: " + seen);
  }

  @Test
  void noUsableQueryIsAnError() {
    Qrels none = new Qrels.Builder().build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new GroupSampler(none, candidates(), 2, 1, 0, 10, 1));
    assertFalse(e.getMessage().isEmpty());
  }

  @Test
  void queriesDrawnAreThoseTheBatchesOfThatManyStepsHold() {
    Qrels.Builder q = new Qrels.Builder();
    Run.Builder r = new Run.Builder("bm25");
    for (int i = 0; i < 10; i++) {
      q.put("q" + i, "rel" + i, 1);
      r.add("q" + i, "rel" + i, 2);
      r.add("q" + i, "other", 1);
    }
    GroupSampler s = new GroupSampler(q.build(), r.build(), 1, 1, 0, 2, 11);
    for (int steps : new int[] {1, 2, 3, 4, 7}) {
      Set<String> fromBatches = new java.util.LinkedHashSet<>();
      for (int step = 0; step < steps; step++) {
        s.batch(step, 3).forEach(g -> fromBatches.add(g.queryId()));
      }
      assertEquals(List.copyOf(fromBatches), List.copyOf(s.queriesDrawn(steps, 3)), "steps " + steps);
    }
    assertEquals(6, s.queriesDrawn(2, 3).size(), "within the first epoch every draw is a new query");
    assertEquals(10, s.queriesDrawn(4, 3).size(), "12 draws cover the 10 queries");
    assertEquals(Set.of(), s.queriesDrawn(0, 3));
  }
}
