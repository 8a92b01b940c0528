package io.dualrank.data;

/** MS MARCO's TSV records: {@code collection.tsv} lines {@code pid \t text}, {@code queries.tsv} lines {@code qid \t text}. */
final class MsMarcoTsv {
  private MsMarcoTsv() {}

  static Document document(Line line) {
    String[] f = line.tabFields(2, "pid \\t text");
    return new Document(line.id(f[0], "passage id"), "", f[1]);
  }

  static Query query(Line line) {
    String[] f = line.tabFields(2, "qid \\t text");
    return new Query(line.id(f[0], "query id"), f[1]);
  }
}
