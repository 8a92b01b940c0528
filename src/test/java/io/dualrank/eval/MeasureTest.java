package io.dualrank.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Measure names: trec_eval's, its {@code -m name.k} form, and the friendly aliases. */
class MeasureTest {
  @Test
  void parsesTrecEvalNames() {
    assertEquals(new AveragePrecision(Measure.NO_CUTOFF), Measure.parse("map"));
    assertEquals(new ReciprocalRank(Measure.NO_CUTOFF), Measure.parse("recip_rank"));
    assertEquals(new Ndcg(Measure.NO_CUTOFF), Measure.parse("ndcg"));
    assertEquals(new Ndcg(10), Measure.parse("ndcg_cut_10"));
    assertEquals(new Ndcg(10), Measure.parse("ndcg_cut.10"));
    assertEquals(new AveragePrecision(100), Measure.parse("map_cut_100"));
    assertEquals(new ReciprocalRank(10), Measure.parse("recip_rank_cut_10"));
    assertEquals(new Precision(10), Measure.parse("P_10"));
    assertEquals(new Precision(5), Measure.parse("P.5"));
    assertEquals(new Recall(100), Measure.parse("recall_100"));
  }

  @Test
  void parsesAliases() {
    assertEquals(new Ndcg(10), Measure.parse("nDCG@10"));
    assertEquals(new ReciprocalRank(10), Measure.parse("MRR@10"));
    assertEquals(new ReciprocalRank(Measure.NO_CUTOFF), Measure.parse("mrr"));
    assertEquals(new AveragePrecision(1000), Measure.parse("map@1000"));
    assertEquals(new Precision(10), Measure.parse("p@10"));
    assertEquals(new Recall(100), Measure.parse("recall@100"));
  }

  @Test
  void namesAreTrecEvals() {
    List<String> names = List.of("map", "map_cut_10", "recip_rank", "recip_rank_cut_10", "ndcg", "ndcg_cut_10",
        "P_10", "recall_100");
    assertEquals(names, names.stream().map(n -> Measure.parse(n).name()).toList());
  }

  @Test
  void expandsSeveralCutoffsLikeTrecEval() {
    assertEquals(List.of(new Precision(5), new Precision(10), new Ndcg(20), new AveragePrecision(Measure.NO_CUTOFF)),
        Measure.parseAll(List.of("P.5,10", "ndcg_cut.20", "map")));
  }

  @Test
  void rejectsUnknownNamesAndBadCutoffs() {
    for (String bad : List.of("bpref", "P", "recall", "map_10", "ndcg_cut", "ndcg@", "P_0", "mrr@-1", "P_99999999999", "")) {
      assertThrows(IllegalArgumentException.class, () -> Measure.parse(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> new Precision(0));
  }
}
