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
  private final List<Measure> measures;
  private final List<String> queryIds;
  private final Map<Measure, Map<String, Double>> perQuery;

  EvalResult(List<Measure> measures, List<String> queryIds, Map<Measure, Map<String, Double>> perQuery) {
    this.measures = List.copyOf(measures);
    this.queryIds = List.copyOf(queryIds);
    this.perQuery = perQuery;
  }

  public List<Measure> measures() {
    return measures;
  }

  /** The evaluated queries, in trec_eval's order (query ids sorted as strings). */
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

  public Measure primaryMeasure() {
    return measures.get(0);
  }

  /** The mean of the primary measure. */
  public double primary() {
    return mean(primaryMeasure());
  }
}
