package io.dualrank.model;

import java.util.List;

/** Scores document texts for a query text; every {@link RankerModel} is one, and so can any other teacher be. */
@FunctionalInterface
public interface TextScorer {
  /** The score of each document for the query, in the documents' order. */
  float[] scoreTexts(String query, List<String> documents);
}
