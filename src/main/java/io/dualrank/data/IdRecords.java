package io.dualrank.data;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A file of id-keyed records, one per line, never held in memory as a whole: what {@link Corpus} and
 * {@link QuerySet} share. Every pass checks that ids are unique.
 */
final class IdRecords<T> {
  private final Path file;
  private final Function<Line, T> parser;
  private final Function<T, String> idOf;

  IdRecords(Path file, Function<Line, T> parser, Function<T, String> idOf) {
    this.file = file;
    this.parser = parser;
    this.idOf = idOf;
  }

  /** True for BEIR JSON lines ({@code *.jsonl}), false for MS MARCO TSV ({@code *.tsv}); else throws. */
  static boolean isJsonLines(Path file) {
    String name = file.getFileName().toString();
    if (name.endsWith(".jsonl")) {
      return true;
    }
    if (name.endsWith(".tsv")) {
      return false;
    }
    throw new IllegalArgumentException(file + ": unknown format; expected *.tsv (MS MARCO) or *.jsonl (BEIR)");
  }

  Path file() {
    return file;
  }

  /** All records in file order; a repeated id throws at its line. Close the stream. */
  Stream<T> stream() {
    return stream(new IdSet());
  }

  /** All records, recording their ids in {@code seen}. */
  private Stream<T> stream(IdSet seen) {
    return TextLines.stream(file).map(line -> {
      T record = parser.apply(line);
      if (!seen.add(idOf.apply(record))) {
        throw line.error("a unique id, found '" + idOf.apply(record) + "' again");
      }
      return record;
    });
  }

  /** The records with the given ids, in file order; throws when some id is absent. */
  Map<String, T> load(Collection<String> ids) {
    Set<String> wanted = ids instanceof Set<String> s ? s : new HashSet<>(ids);
    Map<String, T> found = collect(stream().filter(r -> wanted.contains(idOf.apply(r))));
    if (found.size() < wanted.size()) {
      List<String> missing = wanted.stream().filter(id -> !found.containsKey(id)).limit(5).toList();
      throw new IllegalArgumentException(file + ": " + (wanted.size() - found.size())
          + " of the requested ids are absent, e.g. " + missing);
    }
    return found;
  }

  /** Every record, keyed by id, in file order (for small files such as query sets). */
  Map<String, T> loadAll() {
    return collect(stream());
  }

  /** Every id, in a compact set. */
  IdSet ids() {
    IdSet ids = new IdSet();
    try (Stream<T> records = stream(ids)) {
      records.forEach(r -> {});
    }
    return ids;
  }

  long count() {
    try (Stream<T> records = stream()) {
      return records.mapToLong(r -> 1).sum(); // not count(): that may skip parsing, hence checking
    }
  }

  private Map<String, T> collect(Stream<T> records) {
    try (records) {
      return records.collect(Collectors.toMap(idOf, r -> r, (a, b) -> a, LinkedHashMap::new));
    }
  }
}
