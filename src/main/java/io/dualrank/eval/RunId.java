package io.dualrank.eval;

/**
 * {@code runid} ({@code m_runid.c}): not a number but the run's tag, which trec_eval prints as one
 * {@code runid \t all \t tag} line (see {@link TrecEvalFormat}); its per-query value is 0 and unused.
 */
public record RunId() implements Measure {
  @Override
  public String name() {
    return "runid";
  }

  @Override
  public double compute(JudgedRanking r) {
    return 0;
  }

  @Override
  public boolean printedPerQuery() {
    return false;
  }
}
