package io.dualrank.data;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A document collection on disk, read lazily so that MS MARCO's 8.8M passages never sit in memory together.
 * Two formats, told apart by the file name: {@code *.jsonl} is a BEIR corpus ({@code {"_id", "title",
 * "text"}} per line), {@code *.tsv} MS MARCO ({@code pid \t text}, no title). Every pass checks that
 * lines are well formed and ids unique, and throws {@link InputFormatException} otherwise.
 */
public final class Corpus {
  private final IdRecords<Document> records;

  private Corpus(IdRecords<Document> records) {
    this.records = records;
  }

  public static Corpus open(Path file) {
    return new Corpus(new IdRecords<>(file,
        IdRecords.isJsonLines(file) ? BeirJsonl::document : MsMarcoTsv::document, Document::id));
  }

  /**
   * One line of a corpus file parsed as {@link #open} parses it, the format told by the line's file name: for
   * readers that split the file themselves (e.g. across a cluster). Id uniqueness is not checked here.
   */
  public static Document parse(Line line) {
    return IdRecords.isJsonLines(line.file()) ? BeirJsonl.document(line) : MsMarcoTsv.document(line);
  }

  public Path file() {
    return records.file();
  }

  /** Every document, in file order. Close the stream (try-with-resources) to close the file. */
  public Stream<Document> stream() {
    return records.stream();
  }

  /** Only the documents with the given ids (e.g. the candidates' texts), keyed by id, in file order. */
  public Map<String, Document> load(Collection<String> ids) {
    return records.load(ids);
  }

  /** Every document id, in a compact set (for validating qrels and runs against this corpus). */
  public IdSet ids() {
    return records.ids();
  }

  /** The number of documents (one pass over the file). */
  public long count() {
    return records.count();
  }
}
