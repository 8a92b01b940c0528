package io.dualrank.data;

import java.util.function.Predicate;

/**
 * The query and document ids a qrels or run file may mention; readers reject any other id at its line.
 * {@link #ANY} accepts everything (reading a file on its own, as trec_eval does).
 */
public record KnownIds(Predicate<String> queries, Predicate<String> documents) {
  public static final KnownIds ANY = new KnownIds(id -> true, id -> true);
}
