package io.dualrank.eval;

import java.util.List;

/**
 * A per-query effectiveness measure, computed as NIST trec_eval 10.0 does. Names follow trec_eval:
 * {@code num_q}, {@code num_ret}, {@code num_rel}, {@code num_rel_ret}, {@code map}, {@code gm_map},
 * {@code Rprec}, {@code bpref}, {@code recip_rank}, {@code iprec_at_recall_0.10}, {@code P_10},
 * {@code recall_100}, {@code ndcg}, {@code ndcg_cut_10}, {@code map_cut_10}, {@code runid}, plus
 * {@code recip_rank_cut_10} for MS MARCO's MRR@10, which trec_eval lacks. {@link #parse} also takes the
 * aliases {@code ndcg@10}, {@code mrr@10}, {@code mrr}, {@code map@10}, {@code p@10}, {@code recall@100}
 * (case-insensitive); {@link #parseAll} takes trec_eval's {@code -m} forms too ({@code P.5,10}, a family
 * alone for its default cut-offs, {@code official}).
 */
public sealed interface Measure
    permits AveragePrecision, Bpref, Count, GeometricMeanAveragePrecision, InterpolatedPrecision, Ndcg,
        Precision, RPrecision, Recall, ReciprocalRank, RunId {

  /** What {@link #parseAll} takes, for messages and help texts. */
  String NAMES = "official (trec_eval's default set: runid num_q num_ret num_rel num_rel_ret map gm_map Rprec "
      + "bpref recip_rank iprec_at_recall P), runid, num_q, num_ret, num_rel, num_rel_ret, map, gm_map, Rprec, "
      + "bpref, recip_rank, ndcg; with cut-offs (name.k1,k2 or name_k; the name alone gives trec_eval's "
      + "defaults 5,10,15,20,30,100,200,500,1000): P, recall, ndcg_cut, map_cut; iprec_at_recall (recall "
      + "levels, by default 0,0.1,...,1); recip_rank_cut.k (MRR@k, not in trec_eval); aliases ndcg@10, mrr@10, "
      + "map@10, p@10, recall@100";

  /** Cut-off of the measures that look at the whole ranking. */
  int NO_CUTOFF = Integer.MAX_VALUE;

  /** How trec_eval turns the per-query values into its {@code all} line. */
  enum Summary {
    /** Arithmetic mean over the evaluated queries ({@code te_calc_avg_meas_s}). */
    MEAN,
    /** Sum over the evaluated queries (the counts, {@code te_calc_avg_meas_empty}). */
    SUM,
    /** {@code exp(mean(log(max(v, 0.00001))))} ({@code te_calc_avg_meas_s_gm}, {@code MIN_GEO_MEAN}). */
    GEOMETRIC_MEAN
  }

  /** The canonical (trec_eval) name. */
  String name();

  /** The value for one query. */
  double compute(JudgedRanking r);

  /** How the {@code all} line sums the queries up. */
  default Summary summary() {
    return Summary.MEAN;
  }

  /** Whether trec_eval prints each query's value under {@code -q} (it does not for num_q, gm_map, runid). */
  default boolean printedPerQuery() {
    return true;
  }

  /** Whether the values are counts, which trec_eval prints as integers ({@code %ld}). */
  default boolean integral() {
    return false;
  }

  /** The measure a name designates; throws IllegalArgumentException for an unknown name. */
  static Measure parse(String name) {
    return MeasureNames.parse(name);
  }

  /**
   * Several measures, as trec_eval's {@code -m} arguments: each a name, {@code name.k1,k2,...} for several
   * cut-offs, a family alone ({@code P}, {@code recall}, {@code ndcg_cut}, {@code map_cut},
   * {@code iprec_at_recall}) for trec_eval's default cut-offs, or {@code official} for trec_eval's default
   * set. Repeats are dropped.
   */
  static List<Measure> parseAll(List<String> names) {
    return MeasureNames.parseAll(names);
  }
}
