package io.dualrank.eval;

import java.util.List;

/**
 * A per-query effectiveness measure, computed as NIST trec_eval does. Names follow trec_eval
 * ({@code map}, {@code recip_rank}, {@code ndcg}, {@code P_10}, {@code recall_100}, {@code ndcg_cut_10},
 * {@code map_cut_10}) plus {@code recip_rank_cut_10} for MS MARCO's MRR@10, which trec_eval lacks.
 * {@link #parse} also takes trec_eval's {@code -m P.10} form and the aliases {@code ndcg@10},
 * {@code mrr@10}, {@code mrr}, {@code map@10}, {@code p@10}, {@code recall@100} (case-insensitive).
 */
public sealed interface Measure
    permits AveragePrecision, Ndcg, Precision, Recall, ReciprocalRank {

  /** Cut-off of the measures that look at the whole ranking. */
  int NO_CUTOFF = Integer.MAX_VALUE;

  /** The canonical (trec_eval) name. */
  String name();

  /** The value for one query. */
  double compute(JudgedRanking r);

  /** The measure a name designates; throws IllegalArgumentException for an unknown name. */
  static Measure parse(String name) {
    return MeasureNames.parse(name);
  }

  /** Several measures: each argument a name, or trec_eval's {@code name.k1,k2,...} for several cut-offs. */
  static List<Measure> parseAll(List<String> names) {
    return MeasureNames.parseAll(names);
  }
}
