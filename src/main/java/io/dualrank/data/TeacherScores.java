package io.dualrank.data;

import io.dualrank.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A teacher's scores of (query, document) pairs, the input of distillation. File format, one pair per line,
 * whitespace-separated: {@code qid docid score} (score a decimal with |score| ≤ 1e6; any teacher can produce it, e.g. a
 * cross-encoder, an LLM or a larger ensemble). A pair given twice is an error. Immutable once built.
 */
public final class TeacherScores {
  private static final String LAYOUT = "qid docid score";
  /**
   * Largest |score| read: teachers' scores are logits or similarities (|s| well below 1e3); past 1e6 the
   * losses' squares and exponentials leave float range in training (1e300 becomes infinity in float).
   */
  public static final double MAX_ABS_SCORE = 1e6;
  private final Map<String, Map<String, Double>> scores;

  private TeacherScores(Map<String, Map<String, Double>> scores) {
    this.scores = scores;
  }

  /** Reads a teacher-scores file. */
  public static TeacherScores read(Path file) {
    Builder b = new Builder();
    try (Stream<Line> lines = TextLines.stream(file)) {
      for (Line line : (Iterable<Line>) lines::iterator) {
        String[] f = line.whitespaceFields(3, LAYOUT);
        String qid = line.id(f[0], "query id");
        String docId = line.id(f[1], "document id");
        double score = line.parseDouble(f[2], "score");
        if (Math.abs(score) > MAX_ABS_SCORE) {
          throw line.error("a score between -1e6 and 1e6, found " + f[2]);
        }
        if (b.put(qid, docId, score) != null) {
          throw line.error("each (query, document) pair once, found (" + qid + ", " + docId + ") again");
        }
      }
    }
    return b.build();
  }

  /** Writes the scores atomically, queries and documents in insertion order, scores round-tripping exactly. */
  public void write(Path file) throws IOException {
    AtomicFiles.writeText(file, out -> {
      for (var q : scores.entrySet()) {
        for (var d : q.getValue().entrySet()) {
          out.write(q.getKey() + " " + d.getKey() + " " + d.getValue() + "\n");
        }
      }
    });
  }

  public Set<String> queryIds() {
    return scores.keySet();
  }

  /** The scored documents of a query; empty when none. */
  public Map<String, Double> scores(String qid) {
    return scores.getOrDefault(qid, Map.of());
  }

  /** The score of a pair, if the teacher scored it. */
  public OptionalDouble score(String qid, String docId) {
    Double s = scores(qid).get(docId);
    return s == null ? OptionalDouble.empty() : OptionalDouble.of(s);
  }

  /** Number of scored pairs. */
  public int size() {
    return scores.values().stream().mapToInt(Map::size).sum();
  }

  /** Accumulates scores. */
  public static final class Builder {
    private final Map<String, Map<String, Double>> scores = new LinkedHashMap<>();

    /** Records a score; returns the previous score of the pair, or null when it was new. */
    public Double put(String qid, String docId, double score) {
      return scores.computeIfAbsent(qid, k -> new LinkedHashMap<>()).put(docId, score);
    }

    /** Adds every pair of {@code other}. */
    public Builder putAll(TeacherScores other) {
      other.scores.forEach((q, m) -> m.forEach((d, s) -> put(q, d, s)));
      return this;
    }

    public TeacherScores build() {
      Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
      scores.forEach((q, m) -> copy.put(q, Collections.unmodifiableMap(new LinkedHashMap<>(m))));
      return new TeacherScores(Collections.unmodifiableMap(copy));
    }
  }
}
