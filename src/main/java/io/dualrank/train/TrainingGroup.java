package io.dualrank.train;

import java.util.List;

/** One training example: a query, one relevant document and the sampled non-relevant candidates. */
public record TrainingGroup(String queryId, String positive, List<String> negatives) {
  /** The positive followed by the negatives: the column order every loss expects (positive at 0). */
  public List<String> documents() {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(positive), negatives.stream()).toList();
  }
}
