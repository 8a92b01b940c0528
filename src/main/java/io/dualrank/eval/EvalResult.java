package io.dualrank.eval;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Per-query values and means of some measures over the evaluated queries of one run. The first measure
 * is the primary one (sentence-transformers' {@code primary_metric}): what a training loop tracks, higher
 * being better for every measure here.
 */
public final class EvalResult {
  /** trec_eval's floor of the per-query values in a geometric mean ({@code trec_eval.h}). */
  static final double MIN_GEO_MEAN = 0.00001;

  private final String runTag;
  private final List<Measure> measures;
  private final List<String> queryIds;
  private final Map<Measure, Map<String, Double>> perQuery;

  EvalResult(String runTag, List<Measure> measures, List<String> queryIds,
      Map<Measure, Map<String, Double>> perQuery) {
    this.runTag = runTag;
    this.measures = List.copyOf(measures);
    this.queryIds = List.copyOf(queryIds);
    this.perQuery = perQuery;
  }

  /** The evaluated run's tag (trec_eval's {@code runid}). */
  public String runTag() {
    return runTag;
  }

  public List<Measure> measures() {
    return measures;
  }

  /** The evaluated queries, in trec_eval's order (query ids sorted by their UTF-8 bytes, as strcmp). */
  public List<String> queryIds() {
    return queryIds;
  }

  /** One measure's value per query, in {@link #queryIds()} order. */
  public Map<String, Double> perQuery(Measure m) {
    Map<String, Double> values = perQuery.get(m);
    if (values == null) {
      throw new IllegalArgumentException("measure " + m.name() + " was not evaluated; these were: "
          + measures.stream().map(Measure::name).toList());
    }
    return Collections.unmodifiableMap(values);
  }

  /** The mean over the evaluated queries, as trec_eval's {@code all} line. */
  public double mean(Measure m) {
    double sum = 0;
    for (double v : perQuery(m).values()) {
      sum += v;
    }
    return sum / queryIds.size();
  }

  /**
   * The {@code all} figure as trec_eval prints it: the mean, the sum for the counts ({@code num_q} is the
   * number of evaluated queries), or the geometric mean for {@code gm_map}, see {@link Measure#summary()}.
   */
  public double summary(Measure m) {
    return switch (m.summary()) {
      case MEAN -> mean(m);
      case SUM -> perQuery(m).values().stream().mapToDouble(Double::doubleValue).sum();
      case GEOMETRIC_MEAN -> Math.exp(perQuery(m).values().stream()
          .mapToDouble(v -> Math.log(Math.max(v, MIN_GEO_MEAN))).sum() / queryIds.size());
    };
  }

  public Measure primaryMeasure() {
    return measures.get(0);
  }

  /** The mean of the primary measure. */
  public double primary() {
    return mean(primaryMeasure());
  }
}
