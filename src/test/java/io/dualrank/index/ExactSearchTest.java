package io.dualrank.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.data.ScoredDoc;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ExactSearchTest {
  private static final int N = 3000;
  private static final int DIM = 24;
  private static final float[][] DOCS = RandomVectors.gaussian(N, DIM, false, 1);
  private static final List<String> IDS = IntStream.range(0, N).mapToObj(i -> "doc" + i).toList();

  /** The expected top k: every inner product in double precision, fully sorted. */
  private static List<String> bruteForce(float[] q, int k) {
    List<Integer> order = new ArrayList<>(IntStream.range(0, N).boxed().toList());
    order.sort(Comparator.comparingDouble((Integer i) -> {
      double s = 0;
      for (int j = 0; j < DIM; j++) {
        s += (double) q[j] * DOCS[i][j];
      }
      return -s;
    }));
    return order.subList(0, k).stream().map(IDS::get).toList();
  }

  @Test
  void topKEqualsAFullSortOfAllInnerProducts() {
    float[][] queries = RandomVectors.gaussian(20, DIM, false, 2);
    for (int threads : new int[] {1, 3}) {
      try (ExactSearch exact = new ExactSearch(IDS, DOCS, DIM, threads)) {
        for (float[] q : queries) {
          List<ScoredDoc> hits = exact.search(q, 25);
          assertEquals(bruteForce(q, 25), hits.stream().map(ScoredDoc::docId).toList());
          for (int i = 1; i < hits.size(); i++) {
            assertTrue(hits.get(i - 1).score() >= hits.get(i).score());
          }
        }
      }
    }
  }

  @Test
  void scoresAreInnerProductsAndTiesKeepIndexOrder() {
    float[][] docs = {{1, 0}, {0.5f, 0.5f}, {1, 0}, {-1, 2}};
    try (ExactSearch exact = new ExactSearch(List.of("a", "b", "c", "d"), docs, 2, 2)) {
      List<ScoredDoc> hits = exact.search(new float[] {2, 1}, 10);
      assertEquals(List.of(new ScoredDoc("a", 2), new ScoredDoc("c", 2), new ScoredDoc("b", 1.5), new ScoredDoc("d", 0)),
          hits);
    }
  }

  @Test
  void recallOfItselfIsOneAndOfANaiveSearchIsItsOverlap() {
    float[][] queries = RandomVectors.gaussian(10, DIM, false, 3);
    try (ExactSearch exact = new ExactSearch(IDS, DOCS, DIM, 2);
        ExactSearch firstHalf = new ExactSearch(IDS.subList(0, N / 2), Arrays.copyOf(DOCS, N / 2), DIM, 1)) {
      assertEquals(1.0, exact.recallOf(exact, queries, 10));
      double expected = 0;
      for (float[] q : queries) {
        expected += bruteForce(q, 10).stream().filter(id -> Integer.parseInt(id.substring(3)) < N / 2).count() / 10.0;
      }
      assertEquals(expected / queries.length, exact.recallOf(firstHalf, queries, 10), 1e-12);
    }
  }

  @Test
  void recallCountsResultsTiedWithTheLastExactOneAsFound() {
    List<ScoredDoc> exact = List.of(new ScoredDoc("a", 0.9), new ScoredDoc("b", 0.5), new ScoredDoc("c", 0.5));
    List<ScoredDoc> tiedSwap = List.of(new ScoredDoc("a", 0.9), new ScoredDoc("d", 0.5), new ScoredDoc("c", 0.5));
    List<ScoredDoc> missed = List.of(new ScoredDoc("a", 0.9), new ScoredDoc("c", 0.5), new ScoredDoc("e", 0.4));
    assertEquals(1.0, ExactSearch.recall(List.of(exact), List.of(tiedSwap)));
    assertEquals((1.0 + 2 / 3.0) / 2, ExactSearch.recall(List.of(exact, exact), List.of(tiedSwap, missed)), 1e-12);
    assertEquals(1.0, ExactSearch.recall(List.of(List.of()), List.of(List.of())));
  }

  @Test
  void rejectsWrongQueryDimensionAndK() {
    try (ExactSearch exact = new ExactSearch(IDS, DOCS, DIM, 1)) {
      assertThrows(IllegalArgumentException.class, () -> exact.search(new float[DIM + 1], 10));
      assertThrows(IllegalArgumentException.class, () -> exact.search(new float[DIM], 0));
    }
  }
}
