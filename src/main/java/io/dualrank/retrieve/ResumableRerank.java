package io.dualrank.retrieve;

import io.dualrank.data.Run;
import io.dualrank.data.TrecRunReader;
import io.dualrank.data.TrecRunWriter;
import io.dualrank.model.ScoringModel;
import io.dualrank.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Re-ranks a run with a model into a TREC run file, resumably: the run's queries, in its order, are re-ranked
 * in parts of {@code queriesPerPart} ({@link ScoringModel#rerank} on each), each part written atomically as
 * {@code <out>.parts/part-NNNNN.trec}; a restarted job keeps the finished parts and re-ranks only the rest.
 * When every part is done they are merged into {@code out} (atomically) and removed. Scores are written in
 * round-tripping notation, so the merged run equals the parts' scores exactly.
 *
 * <p>The parts are trusted as they are: the caller must keep them in a folder of their own for one model and
 * one set of candidates and texts (the pipeline's stage folders are keyed by both).
 */
public final class ResumableRerank {
  private ResumableRerank() {}

  /** Re-ranks {@code candidates} with {@code model} into {@code out}; returns the re-ranked run. */
  public static Run rerank(ScoringModel model, Run candidates, Map<String, String> queries,
      Map<String, String> documents, String tag, Path out, int queriesPerPart) throws IOException {
    if (queriesPerPart < 1) {
      throw new IllegalArgumentException("queries per part must be at least 1, got " + queriesPerPart);
    }
    Path parts = out.resolveSibling(out.getFileName() + ".parts");
    Files.createDirectories(parts);
    List<String> qids = new ArrayList<>(candidates.queryIds());
    int numParts = (qids.size() + queriesPerPart - 1) / queriesPerPart;
    Run.Builder all = new Run.Builder(tag);
    int resumed = 0;
    for (int p = 0; p < numParts; p++) {
      LinkedHashSet<String> partQueries =
          new LinkedHashSet<>(qids.subList(p * queriesPerPart, Math.min(qids.size(), (p + 1) * queriesPerPart)));
      Path file = parts.resolve(String.format(Locale.ROOT, "part-%05d.trec", p));
      Run part;
      if (Files.isRegularFile(file) && (part = TrecRunReader.read(file)).queryIds().equals(partQueries)) {
        resumed += partQueries.size();
      } else {
        System.err.printf(Locale.ROOT, "rerank: part %d of %d (%d queries) into %s%n", p + 1, numParts,
            partQueries.size(), parts);
        part = model.rerank(candidates.restrictTo(partQueries), queries, documents, tag, true);
        TrecRunWriter.write(part, file);
      }
      for (String q : part.queryIds()) {
        part.ranking(q).forEach(d -> all.add(q, d));
      }
    }
    if (resumed > 0) {
      System.err.printf(Locale.ROOT, "rerank: %d of %d queries were already re-ranked in %s%n", resumed, qids.size(),
          parts);
    }
    Run run = all.build();
    TrecRunWriter.write(run, out);
    AtomicFiles.deleteRecursively(parts);
    return run;
  }
}
