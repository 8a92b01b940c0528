package io.dualrank.eval;

/**
 * {@code gm_map} ({@code m_gm_map.c}): average precision per query, summed up as the geometric mean with
 * trec_eval's floor {@code MIN_GEO_MEAN = 0.00001} ({@link Measure.Summary#GEOMETRIC_MEAN}), so that one
 * query with AP 0 does not make the mean 0. trec_eval prints it only in the {@code all} line.
 */
public record GeometricMeanAveragePrecision() implements Measure {
  @Override
  public String name() {
    return "gm_map";
  }

  @Override
  public double compute(JudgedRanking r) {
    return new AveragePrecision(NO_CUTOFF).compute(r);
  }

  @Override
  public Summary summary() {
    return Summary.GEOMETRIC_MEAN;
  }

  @Override
  public boolean printedPerQuery() {
    return false;
  }
}
