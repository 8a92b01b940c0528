package io.dualrank.data;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads TREC run files: {@code qid Q0 docid rank score tag}, whitespace-separated. As in trec_eval the
 * second column and the rank are not used (the rank must still be an integer): the order comes from the
 * scores, see {@link Run}. The run's tag is that of the first line. A document listed twice for a query is
 * an error, as is an id not accepted by the {@link KnownIds}.
 */
public final class TrecRunReader {
  private static final String LAYOUT = "qid Q0 docid rank score tag";

  private TrecRunReader() {}

  public static Run read(Path file) {
    return read(List.of(file), KnownIds.ANY);
  }

  /** Several run files as one run (e.g. the candidate lists of the years of a split). */
  public static Run read(List<Path> files, KnownIds known) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no run file to read");
    }
    Run.Builder run = null;
    Map<String, Set<String>> seen = new HashMap<>();
    for (Path file : files) {
      try (Stream<Line> lines = TextLines.stream(file)) {
        for (Line line : (Iterable<Line>) lines::iterator) {
          String[] f = line.whitespaceFields(6, LAYOUT);
          String qid = line.id(f[0], "query id");
          String docId = line.id(f[2], "document id");
          line.parseInt(f[3], "rank");
          double score = line.parseDouble(f[4], "score");
          if (!known.queries().test(qid)) {
            throw line.error("a known query id, found '" + qid + "'");
          }
          if (!known.documents().test(docId)) {
            throw line.error("a document id of the corpus, found '" + docId + "'");
          }
          if (!seen.computeIfAbsent(qid, q -> new HashSet<>()).add(docId)) {
            throw line.error("each document once per query, found (" + qid + ", " + docId + ") again");
          }
          if (run == null) {
            run = new Run.Builder(f[5]);
          }
          run.add(qid, docId, score);
        }
      }
    }
    return run.build();
  }
}
