package io.dualrank.data;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads TREC run files: {@code qid Q0 docid rank score tag}, whitespace-separated, accepting what NIST
 * trec_eval's {@code get_trec_results.c} accepts: blank lines and lines whose first non-blank character is
 * {@code #} are skipped; the second column and the rank may hold anything and are not used (the order
 * comes from the scores, see {@link Run}); columns after the tag are ignored. The run's tag is that of the
 * last line, as trec_eval's {@code runid}. Unlike trec_eval (whose {@code atof} reads {@code "high"} as 0), a
 * score must be a finite number. A document listed twice for a query is an error (trec_eval's "duplicate
 * docs"), as is an id not accepted by the {@link KnownIds}.
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
    Run.Builder run = new Run.Builder("");
    Map<String, Set<String>> seen = new HashMap<>();
    for (Path file : files) {
      try (Stream<Line> lines = TextLines.stream(file)) {
        for (Line line : (Iterable<Line>) lines::iterator) {
          if (line.isBlank() || line.isComment()) {
            continue;
          }
          String[] f = line.leadingWhitespaceFields(6, LAYOUT);
          String qid = f[0];
          String docId = f[2];
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
          run.tag(f[5]).add(qid, docId, score);
        }
      }
    }
    if (run.isEmpty()) {
      throw new InputFormatException(files.get(files.size() - 1), 0, "at least one run line");
    }
    return run.build();
  }
}
