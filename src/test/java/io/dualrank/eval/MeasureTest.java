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
    for (String bad : List.of("infAP", "P", "recall", "map_10", "ndcg_cut", "ndcg@", "P_0", "mrr@-1", "P_99999999999",
        "iprec_at_recall_1.5", "")) {
      assertThrows(IllegalArgumentException.class, () -> Measure.parse(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> new Precision(0));
  }

  @Test
  void parsesTheMeasuresTrecEvalAddsAndItsFamilies() {
    assertEquals(List.of(Count.NUM_Q, Count.NUM_RET, Count.NUM_REL, Count.NUM_REL_RET, new RPrecision(), new Bpref(),
        new GeometricMeanAveragePrecision(), new RunId(), new InterpolatedPrecision(0.5)),
        Measure.parseAll(List.of("num_q", "num_ret", "num_rel", "num_rel_ret", "Rprec", "bpref", "gm_map", "runid",
            "iprec_at_recall.0.5")));
    List<String> defaults = List.of("5", "10", "15", "20", "30", "100", "200", "500", "1000");
    for (String family : List.of("P", "recall", "ndcg_cut", "map_cut")) {
      assertEquals(defaults.stream().map(k -> family + "_" + k).toList(),
          Measure.parseAll(List.of(family)).stream().map(Measure::name).toList(), family);
    }
    assertEquals(11, Measure.parseAll(List.of("iprec_at_recall")).size());
    assertEquals("iprec_at_recall_1.00", Measure.parseAll(List.of("iprec_at_recall")).get(10).name());
    assertEquals(List.of(new Precision(5), new Precision(10)), Measure.parseAll(List.of("P.5,10", "P_10", "P.5")));
  }

  /**
   * trec_eval's measures.c: official = runid num_q num_ret num_rel num_rel_ret map gm_map Rprec bpref recip_rank
   * iprec_at_recall P.
   */
  @Test
  void officialIsTrecEvalsDefaultSet() {
    List<String> names = Measure.parseAll(List.of("official")).stream().map(Measure::name).toList();
    assertEquals(List.of("runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "map", "gm_map", "Rprec", "bpref",
        "recip_rank"), names.subList(0, 10));
    assertEquals(10 + 11 + 9, names.size());
    assertEquals("iprec_at_recall_0.00", names.get(10));
    assertEquals("P_1000", names.get(29));
  }
}
