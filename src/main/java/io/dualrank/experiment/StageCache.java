package io.dualrank.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dualrank.util.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each pipeline stage keeps its output: {@code <root>/<stage>-<key>}, the key a hash of everything
 * the stage depends on (its settings and its inputs' keys). A stage is done when its folder holds the
 * marker {@code DONE.json} (written atomically, last); rerunning skips done stages, and changing a setting
 * changes the key, so that stage and those that depend on it run again. A stage killed part-way keeps its
 * folder, so it can resume (training and teacher scoring do).
 */
final class StageCache {
  static final String DONE = "DONE.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private final Path root;
  /** Every stage asked for, by folder name, and whether it was already done when first asked for. */
  private final Map<String, Boolean> requested = new LinkedHashMap<>();
  private final Map<String, Stage> stages = new LinkedHashMap<>();

  StageCache(Path root) {
    this.root = root;
  }

  /** A stage's folder and key. */
  record Stage(String name, String key, Path dir, long requestedNanos) {
    boolean done() {
      return Files.isRegularFile(dir.resolve(DONE));
    }

    /**
     * Marks the stage done; the marker holds {@code summary} and {@value #SECONDS}, the seconds since the
     * stage was asked for (its compute time, kept when later runs reuse it).
     */
    void markDone(Map<String, ?> summary) throws IOException {
      Map<String, Object> marker = new LinkedHashMap<>(summary);
      marker.put(SECONDS, (System.nanoTime() - requestedNanos) / 1e9);
      AtomicFiles.writeFile(dir.resolve(DONE), tmp -> JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), marker));
    }

    /** The compute time recorded in the marker; NaN when the stage is not done or the marker has none. */
    double seconds() throws IOException {
      if (!done()) {
        return Double.NaN;
      }
      var node = JSON.readTree(dir.resolve(DONE).toFile()).get(SECONDS);
      return node == null ? Double.NaN : node.asDouble();
    }
  }

  /** The marker's field holding a stage's compute time. */
  static final String SECONDS = "seconds";

  /** The stage named {@code name} whose output depends on {@code inputs} (any JSON-serialisable values). */
  Stage stage(String name, Object... inputs) throws IOException {
    String key = key(name, inputs);
    Path dir = root.resolve(name + "-" + key);
    Files.createDirectories(dir);
    Stage stage = new Stage(name, key, dir, System.nanoTime());
    requested.putIfAbsent(dir.getFileName().toString(), stage.done());
    stages.putIfAbsent(dir.getFileName().toString(), stage);
    return stage;
  }

  /** Every stage asked for, by folder name, with the compute time recorded when it was computed (NaN: none). */
  Map<String, Double> recordedSeconds() throws IOException {
    Map<String, Double> seconds = new LinkedHashMap<>();
    for (var e : stages.entrySet()) {
      seconds.put(e.getKey(), e.getValue().seconds());
    }
    return seconds;
  }

  /** Folder names of the stages asked for that were not done yet, i.e. computed (or resumed) by this run. */
  List<String> computed() {
    return requested.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
  }

  /** How many distinct stages were asked for. */
  int requestedCount() {
    return requested.size();
  }

  /** The folder holding every stage. */
  Path root() {
    return root;
  }

  /**
   * The input key of a ready model directory: a digest of what its scores depend on
   * ({@link io.dualrank.model.RankerModel#checksums}), so that the stages using it are recomputed when it changes.
   */
  static String modelKey(Path dir) throws IOException {
    return key("model", io.dualrank.model.RankerModel.checksums(dir));
  }

  static String key(String name, Object... inputs) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(name.getBytes(StandardCharsets.UTF_8));
      for (Object input : inputs) {
        sha.update((byte) 0);
        sha.update(JSON.writeValueAsBytes(input));
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
