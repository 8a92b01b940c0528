package io.dualrank.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualrank.data.InputFormatException;
import io.dualrank.util.AtomicFiles;
import io.dualrank.util.StandardScores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An ensemble of two scoring models (a CA and a DE): per query, {@code (1 − w) · z_A + w · z_B} over the
 * documents scored together, z the scores standardised over them ({@link StandardScores}), the formula of {@link
 * io.dualrank.retrieve.ScoreInterpolation}. Its scores depend on the list scored, so callers score each query's
 * whole list at once, as re-ranking and teacher scoring do. On disk: a directory with {@code ensemble.json},
 * {@code {"models": [A, B], "weight": w}}, the model directories relative to it (or absolute).
 */
public final class EnsembleModel implements ScoringModel {
  public static final String FILE = "ensemble.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code ensemble.json}: the two model directories, and w, the weight of the second. */
  public record Spec(List<String> models, double weight) {}

  private final ScoringModel first;
  private final ScoringModel second;
  private final double weight;

  private EnsembleModel(ScoringModel first, ScoringModel second, double weight) {
    this.first = first;
    this.second = second;
    this.weight = weight;
  }

  public static boolean isEnsembleDirectory(Path dir) {
    return Files.isRegularFile(dir.resolve(FILE));
  }

  /** Writes {@code dir/ensemble.json} (atomically) naming {@code first} and {@code second} relative to {@code dir}. */
  public static void write(Path dir, Path first, Path second, double weight) throws IOException {
    Files.createDirectories(dir);
    Path base = dir.toAbsolutePath().normalize();
    Spec spec = new Spec(List.of(base.relativize(first.toAbsolutePath().normalize()).toString(),
        base.relativize(second.toAbsolutePath().normalize()).toString()), weight);
    check(dir.resolve(FILE), spec);
    AtomicFiles.writeFile(dir.resolve(FILE), tmp -> JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), spec));
  }

  /** The ensemble in {@code dir}, loading both members. */
  public static EnsembleModel load(Path dir) throws IOException {
    List<Path> members = members(dir);
    double weight = spec(dir).weight();
    ScoringModel a = ScoringModel.load(members.get(0));
    try {
      return new EnsembleModel(a, ScoringModel.load(members.get(1)), weight);
    } catch (IOException | RuntimeException e) {
      a.close();
      throw e;
    }
  }

  /** What the ensemble's scores depend on: w and each member's {@link RankerModel#checksums}, by position. */
  public static Map<String, String> checksums(Path dir) throws IOException {
    Map<String, String> sums = new TreeMap<>();
    sums.put("ensemble weight", Double.toString(spec(dir).weight()));
    List<Path> members = members(dir);
    for (int i = 0; i < members.size(); i++) {
      int at = i;
      RankerModel.checksums(members.get(i)).forEach((file, sum) -> sums.put("member " + at + " " + file, sum));
    }
    return sums;
  }

  private static List<Path> members(Path dir) throws IOException {
    return spec(dir).models().stream().map(m -> dir.resolve(m).normalize()).toList();
  }

  private static Spec spec(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    Spec spec;
    try {
      spec = JSON.readValue(file.toFile(), Spec.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new InputFormatException(file, 1, FILE + " as {\"models\": [DIR, DIR], \"weight\": W} ("
          + e.getOriginalMessage() + ")");
    }
    check(file, spec);
    return spec;
  }

  private static void check(Path file, Spec spec) {
    if (spec.models() == null || spec.models().size() != 2 || !(spec.weight() >= 0 && spec.weight() <= 1)) {
      throw new InputFormatException(file, 1, "two model directories in \"models\" and a \"weight\" in [0, 1], found "
          + spec);
    }
  }

  /** A CA when either member is one (the ensemble scores pairs through it). */
  @Override
  public Architecture architecture() {
    return first.architecture() == Architecture.CROSS_ENCODER || second.architecture() == Architecture.CROSS_ENCODER
        ? Architecture.CROSS_ENCODER : Architecture.DUAL_ENCODER;
  }

  /** Sets both members' precision (refused, as theirs, where a member is an ONNX graph and it is not fp32). */
  @Override
  public void setMatrixPrecision(MatrixPrecision precision) {
    first.setMatrixPrecision(precision);
    second.setMatrixPrecision(precision);
  }

  @Override
  public float[] scoreTexts(String query, List<String> documents) {
    double[] a = StandardScores.of(toDoubles(first.scoreTexts(query, documents)));
    double[] b = StandardScores.of(toDoubles(second.scoreTexts(query, documents)));
    float[] out = new float[documents.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) ((1 - weight) * a[i] + weight * b[i]);
    }
    return out;
  }

  private static double[] toDoubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  @Override
  public void close() {
    try {
      first.close();
    } finally {
      second.close();
    }
  }
}
