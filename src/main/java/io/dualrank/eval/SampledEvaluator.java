package io.dualrank.eval;

import io.dualrank.data.Qrels;
import io.dualrank.data.Run;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

/**
 * What a training loop evaluates with, in the manner of sentence-transformers' evaluators: a fixed sample
 * of the judged queries (those with at least one relevant document), drawn once from a seed, and a list of
 * measures whose first is the primary one. The loop ranks {@link #queryIds()} (e.g. re-ranks their
 * candidates) and calls {@link #evaluate}; sampled queries missing from the run score 0, so every call
 * averages over the same queries.
 */
public final class SampledEvaluator {
  private final List<String> queryIds;
  private final Evaluator evaluator;
  private final List<Measure> measures;

  /** Samples {@code min(sampleSize, eligible)} queries; {@code measures.get(0)} is primary. */
  public SampledEvaluator(Qrels qrels, int relevanceLevel, List<Measure> measures, int sampleSize, long seed) {
    if (measures.isEmpty() || sampleSize < 1) {
      throw new IllegalArgumentException("need at least one measure and a positive sample size");
    }
    List<String> eligible = new ArrayList<>(qrels.queryIds().stream()
        .filter(q -> !qrels.relevant(q, relevanceLevel).isEmpty())
        .sorted()
        .toList());
    if (eligible.isEmpty()) {
      throw new IllegalArgumentException("no query has a document graded " + relevanceLevel + " or more");
    }
    Collections.shuffle(eligible, new Random(seed));
    this.queryIds = eligible.subList(0, Math.min(sampleSize, eligible.size())).stream().sorted().toList();
    this.evaluator = new Evaluator(qrels.restrictTo(new HashSet<>(queryIds)), relevanceLevel, true);
    this.measures = List.copyOf(measures);
  }

  /** The sampled query ids, sorted. */
  public List<String> queryIds() {
    return queryIds;
  }

  public Measure primaryMeasure() {
    return measures.get(0);
  }

  /** The measures over the sample; {@link EvalResult#primary()} is what to track. */
  public EvalResult evaluate(Run run) {
    return evaluator.evaluate(run, measures);
  }
}
