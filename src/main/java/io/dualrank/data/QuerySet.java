package io.dualrank.data;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A set of queries on disk: {@code *.jsonl} is BEIR ({@code {"_id", "text"}} per line, other members
 * ignored), {@code *.tsv} MS MARCO ({@code qid \t text}). Same contract as {@link Corpus}.
 */
public final class QuerySet {
  private final IdRecords<Query> records;

  private QuerySet(IdRecords<Query> records) {
    this.records = records;
  }

  public static QuerySet open(Path file) {
    return new QuerySet(new IdRecords<>(file,
        IdRecords.isJsonLines(file) ? BeirJsonl::query : MsMarcoTsv::query, Query::id));
  }

  /** One line of a query file parsed as {@link #open} parses it (see {@link Corpus#parse}). */
  public static Query parse(Line line) {
    return IdRecords.isJsonLines(line.file()) ? BeirJsonl.query(line) : MsMarcoTsv.query(line);
  }

  public Path file() {
    return records.file();
  }

  /** Every query, in file order. Close the stream. */
  public Stream<Query> stream() {
    return records.stream();
  }

  /** The queries with the given ids, keyed by id, in file order; throws when some id is absent. */
  public Map<String, Query> load(Collection<String> ids) {
    return records.load(ids);
  }

  /** Every query, keyed by id, in file order. */
  public Map<String, Query> loadAll() {
    return records.loadAll();
  }

  public IdSet ids() {
    return records.ids();
  }

  public long count() {
    return records.count();
  }
}
