package io.dualrank.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** maxTrainQueries / maxTestQueries draw a seeded sample, not the first ids (which follow articles). */
class QuerySampleTest {
  /** 40 articles × 25 questions, ids as SQuAD's: sq-dev-ARTICLE-PARAGRAPH-qN. */
  private static List<String> squadLikeIds() {
    List<String> ids = new ArrayList<>();
    for (int article = 39; article >= 0; article--) {
      for (int q = 0; q < 25; q++) {
        ids.add("sq-dev-" + article + "-" + (q / 5) + "-q" + (q % 5));
      }
    }
    return ids;
  }

  private static Set<String> articles(List<String> ids) {
    return ids.stream().map(id -> id.split("-")[2]).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void aSampleIsSortedSeededAndSpreadOverTheArticles() {
    List<String> ids = squadLikeIds();
    List<String> drawn = ReproductionPipeline.sample(ids, 100, 42);
    assertEquals(100, drawn.size());
    assertEquals(new TreeSet<>(drawn).stream().toList(), drawn, "sorted, no repeats");
    assertTrue(ids.containsAll(drawn));
    assertTrue(articles(drawn).size() >= 30, "the first 100 ids would be 4 articles; the sample has "
        + articles(drawn).size());
    List<String> reversed = new ArrayList<>(ids);
    java.util.Collections.reverse(reversed);
    assertEquals(drawn, ReproductionPipeline.sample(reversed, 100, 42),
        "the same seed draws the same questions whatever the input order");
    assertNotEquals(drawn, ReproductionPipeline.sample(ids, 100, 43));
  }

  @Test
  void zeroOrMoreThanThereAreKeepsThemAll() {
    List<String> ids = squadLikeIds();
    assertEquals(ids.size(), ReproductionPipeline.sample(ids, 0, 42).size());
    assertEquals(ids.size(), ReproductionPipeline.sample(ids, 5_000, 42).size());
  }
}
