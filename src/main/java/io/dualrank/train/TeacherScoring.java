package io.dualrank.train;

import io.dualrank.data.Qrels;
import io.dualrank.data.Run;
import io.dualrank.data.ScoredDoc;
import io.dualrank.data.TeacherScores;
import io.dualrank.data.Texts;
import io.dualrank.model.TextScorer;
import io.dualrank.util.AtomicFiles;
import io.dualrank.util.InputManifest;
import io.dualrank.util.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Scores (query, document) pairs with a teacher model into a {@link TeacherScores} file, resumably: the
 * queries, in a fixed order, are scored in parts of {@code queriesPerPart}, each part written atomically
 * into {@code <out>.parts/}; a restarted job keeps the finished parts and scores only the rest, so no pair is
 * scored twice or lost. When every part is done they are merged into {@code out} (atomically) and removed.
 *
 * <p>The parts folder records what its scores depend on ({@value #INPUTS}: the teacher's weights checksum,
 * the data files' checksums, the settings), and a restarted job with other inputs is refused, naming what
 * changed, unless it asks to restart, which discards the finished parts.
 */
public final class TeacherScoring {
  /** The file in the parts folder recording the inputs of its scores. */
  public static final String INPUTS = "inputs.properties";

  private TeacherScoring() {}

  /** The pairs to score for distillation: each query's candidates plus its relevant documents (if missing). */
  public static Map<String, List<String>> candidatePairs(Run candidates, Qrels qrels, int minGrade,
      Set<String> knownDocuments) {
    Map<String, List<String>> pairs = new LinkedHashMap<>();
    for (String qid : candidates.queryIds()) {
      Set<String> docs = new LinkedHashSet<>();
      candidates.ranking(qid).stream().map(ScoredDoc::docId).forEach(docs::add);
      qrels.relevant(qid, minGrade).stream().filter(knownDocuments::contains).forEach(docs::add);
      pairs.put(qid, new ArrayList<>(docs));
    }
    return pairs;
  }

  /**
   * Scores every pair with {@code teacher} and writes {@code out}; returns the scores.
   *
   * @param inputs everything the scores depend on besides the pairs (teacher weights and data checksums,
   *     settings), by name; finished parts made with other inputs are refused, or with {@code restart} discarded
   * @throws IllegalArgumentException when finished parts were made with other inputs and not {@code restart}
   */
  public static TeacherScores score(TextScorer teacher, Map<String, List<String>> pairs,
      Map<String, String> queryTexts, Map<String, String> documentTexts, Path out, int queriesPerPart,
      Map<String, String> inputs, boolean restart) throws IOException {
    Path parts = out.resolveSibling(out.getFileName() + ".parts");
    if (restart) {
      AtomicFiles.deleteRecursively(parts);
    }
    Files.createDirectories(parts);
    InputManifest.check(parts.resolve(INPUTS), inputs, "Discard its finished parts (teacher-score --restart, or"
        + " delete the folder) or write elsewhere.");
    List<String> qids = new ArrayList<>(pairs.keySet());
    long total = pairs.values().stream().mapToLong(List::size).sum();
    long done = 0;
    long resumed = 0;
    int numParts = (qids.size() + queriesPerPart - 1) / queriesPerPart;
    List<Path> partFiles = new ArrayList<>();
    Progress progress = null;
    for (int p = 0; p < numParts; p++) {
      List<String> partQueries = qids.subList(p * queriesPerPart, Math.min(qids.size(), (p + 1) * queriesPerPart));
      long pairsInPart = partQueries.stream().mapToLong(q -> pairs.get(q).size()).sum();
      Path file = parts.resolve(String.format(Locale.ROOT, "part-%05d.txt", p));
      partFiles.add(file);
      if (Files.isRegularFile(file) && complete(TeacherScores.read(file), partQueries, pairs)) {
        done += pairsInPart;
        resumed += pairsInPart;
        continue;
      }
      if (progress == null) {
        progress = new Progress("teacher-score", total, "pairs", resumed, System.err,
            java.time.Duration.ofSeconds(10));
      }
      TeacherScores.Builder b = new TeacherScores.Builder();
      for (String qid : partQueries) {
        List<String> docs = pairs.get(qid);
        float[] s = teacher.scoreTexts(Texts.require(queryTexts, qid, "query"),
            docs.stream().map(d -> Texts.require(documentTexts, d, "document")).toList());
        for (int i = 0; i < s.length; i++) {
          b.put(qid, docs.get(i), s[i]);
        }
        done += docs.size();
        progress.advance(done);
      }
      b.build().write(file);
    }
    if (resumed > 0) {
      System.err.printf(Locale.ROOT, "teacher-score: %d of %d pairs were already scored in %s%n", resumed, total, parts);
    }
    TeacherScores.Builder all = new TeacherScores.Builder();
    for (Path f : partFiles) {
      all.putAll(TeacherScores.read(f));
    }
    TeacherScores scores = all.build();
    scores.write(out);
    AtomicFiles.deleteRecursively(parts);
    return scores;
  }

  private static boolean complete(TeacherScores part, List<String> queries, Map<String, List<String>> pairs) {
    for (String q : queries) {
      if (!part.scores(q).keySet().equals(new LinkedHashSet<>(pairs.get(q)))) {
        return false;
      }
    }
    return part.queryIds().size() == queries.size();
  }
}
