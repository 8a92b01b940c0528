package io.dualrank.data;

import io.dualrank.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a {@link Run} as a TREC run file, {@code qid Q0 docid rank score tag}, each query's documents in
 * the run's (trec_eval) order with ranks 1..n, scores in Java's shortest round-tripping notation. Atomic.
 */
public final class TrecRunWriter {
  private TrecRunWriter() {}

  public static void write(Run run, Path file) throws IOException {
    if (run.tag().isEmpty() || run.tag().chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("a run tag must be one non-empty word, got '" + run.tag() + "'");
    }
    AtomicFiles.writeText(file, out -> {
      for (String qid : run.queryIds()) {
        List<ScoredDoc> ranking = run.ranking(qid);
        for (int i = 0; i < ranking.size(); i++) {
          ScoredDoc d = ranking.get(i);
          out.write(qid + " Q0 " + d.docId() + " " + (i + 1) + " " + d.score() + " " + run.tag() + "\n");
        }
      }
    });
  }
}
