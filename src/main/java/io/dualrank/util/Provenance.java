package io.dualrank.util;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** How a result or model was made: recorded beside every trained model and in every experiment report. */
public final class Provenance {
  private Provenance() {}

  /** Version, git commit, time, command line, dataset and machine, in a map ready for JSON. */
  public static Map<String, Object> of(String command, String dataset) {
    Map<String, Object> p = new LinkedHashMap<>();
    String version = Provenance.class.getPackage().getImplementationVersion();
    p.put("dualrank", version == null ? "dev" : version);
    p.put("gitCommit", GitInfo.current().describe());
    p.put("created", Instant.now().toString());
    p.put("command", command);
    p.put("dataset", dataset);
    p.put("java", System.getProperty("java.version"));
    p.put("cpus", Runtime.getRuntime().availableProcessors());
    return p;
  }

  /**
   * Adds the provenance of the model a new one comes from (trained from, exported from): {@code
   * dir/provenance.json} as {@code source}, when {@code dir} is a directory holding one.
   */
  public static Map<String, Object> withSource(Map<String, Object> provenance, Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (Files.isDirectory(dir) && Files.isRegularFile(file)) {
      provenance.put("source", new ObjectMapper().readValue(file.toFile(), Map.class));
    }
    return provenance;
  }

  /** The file name of a model directory's provenance. */
  public static final String FILE = "provenance.json";
}
