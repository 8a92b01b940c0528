package io.dualrank.data;

/** One entry of a ranking: a document id and the score the ranker gave it. */
public record ScoredDoc(String docId, double score) {}
