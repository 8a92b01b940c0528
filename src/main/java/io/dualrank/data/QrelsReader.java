package io.dualrank.data;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads relevance judgments in either of the two usual layouts, told apart by the first line:
 * <ul>
 *   <li>BEIR: a header {@code query-id \t corpus-id \t score}, then one tab-separated judgment per line;
 *   <li>TREC: {@code qid iter docid grade}, whitespace-separated, no header; the iteration column is ignored
 *       whatever it holds ({@code 0} in NIST files, {@code Q0} in some MS MARCO ones). As in trec_eval's
 *       {@code get_qrels.c}, a line starting with {@code #} is a comment; a blank line is an error.
 * </ul>
 * Grades are integers. A (query, document) pair judged twice, in one file or across the files of one call,
 * is an error, as is an id not accepted by the {@link KnownIds}.
 */
public final class QrelsReader {
  static final String BEIR_HEADER = "query-id\tcorpus-id\tscore";

  private QrelsReader() {}

  public static Qrels read(Path file) {
    return read(List.of(file), KnownIds.ANY);
  }

  /** The union of several qrels files (e.g. the years of a split), each id checked against {@code known}. */
  public static Qrels read(List<Path> files, KnownIds known) {
    Qrels.Builder qrels = new Qrels.Builder();
    for (Path file : files) {
      try (Stream<Line> lines = TextLines.stream(file)) {
        Iterator<Line> it = lines.iterator();
        Line first = it.next();
        boolean beir = first.text().startsWith("query-id");
        if (beir) {
          if (!first.text().equals(BEIR_HEADER)) {
            throw first.error("the BEIR qrels header 'query-id\\tcorpus-id\\tscore'");
          }
          if (!it.hasNext()) {
            throw first.error("at least one judgment after the header");
          }
        } else {
          addTrec(qrels, known, first);
        }
        while (it.hasNext()) {
          Line line = it.next();
          if (beir) {
            add(qrels, known, line, line.tabFields(3, "query-id \\t corpus-id \\t score"), 1);
          } else {
            addTrec(qrels, known, line);
          }
        }
      }
    }
    return qrels.build();
  }

  private static void addTrec(Qrels.Builder qrels, KnownIds known, Line line) {
    if (!line.text().startsWith("#")) {
      add(qrels, known, line, line.whitespaceFields(4, "qid iter docid grade"), 2);
    }
  }

  private static void add(Qrels.Builder qrels, KnownIds known, Line line, String[] f, int docColumn) {
    String qid = line.id(f[0], "query id");
    String docId = line.id(f[docColumn], "document id");
    int grade = line.parseInt(f[docColumn + 1], "grade");
    if (!known.queries().test(qid)) {
      throw line.error("a known query id, found '" + qid + "'");
    }
    if (!known.documents().test(docId)) {
      throw line.error("a document id of the corpus, found '" + docId + "'");
    }
    if (qrels.put(qid, docId, grade) != null) {
      throw line.error("one judgment per (query, document), found (" + qid + ", " + docId + ") again");
    }
  }
}
