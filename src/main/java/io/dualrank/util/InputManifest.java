package io.dualrank.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The inputs a resumable job's finished parts were made from, kept beside them (a properties file of
 * name = value, e.g. {@code corpus.sha256}), so that a resumed job never mixes parts made from other inputs.
 */
public final class InputManifest {
  private InputManifest() {}

  /**
   * Checks that {@code file} records the same inputs; in a folder that holds nothing else yet (a job's start),
   * records them.
   *
   * @param advice what the user can do on a mismatch, appended to the message
   * @throws IllegalArgumentException naming every input that changed, when they differ, or when the folder
   *     holds work but no record of its inputs (an older dualrank made it)
   */
  public static void check(Path file, Map<String, String> inputs, String advice) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (!Files.exists(file)) {
      boolean work;
      try (Stream<Path> entries = Files.list(dir)) {
        work = entries.anyMatch(p -> !p.getFileName().equals(file.getFileName()));
      }
      if (work) {
        throw new IllegalArgumentException(dir + " holds work with no record of the inputs it was made from (" + file
            .getFileName() + "; an older dualrank made it). " + advice);
      }
      write(file, inputs);
      return;
    }
    List<String> changed = differences(read(file), inputs);
    if (!changed.isEmpty()) {
      throw new IllegalArgumentException(dir + " holds work made from other inputs: " + String.join("; ", changed)
          + ". " + advice);
    }
  }

  /** The inputs recorded in {@code file}. */
  public static Map<String, String> read(Path file) throws IOException {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file)) {
      p.load(in);
    }
    Map<String, String> inputs = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> inputs.put(k, p.getProperty(k)));
    return inputs;
  }

  /** Writes {@code inputs} to {@code file} atomically. */
  public static void write(Path file, Map<String, String> inputs) throws IOException {
    Properties p = new Properties();
    p.putAll(inputs);
    AtomicFiles.writeText(file, out -> p.store(out, "inputs of the work in this folder"));
  }

  /** One line per input that differs: {@code name: was A, now B} (or recorded / not recorded). */
  static List<String> differences(Map<String, String> found, Map<String, String> wanted) {
    List<String> changed = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(found.keySet());
    names.addAll(wanted.keySet());
    for (String name : names) {
      String was = found.get(name);
      String now = wanted.get(name);
      if (was == null) {
        changed.add(name + " was not recorded, now " + now);
      } else if (now == null) {
        changed.add(name + " was " + was + ", now absent");
      } else if (!was.equals(now)) {
        changed.add(name + " was " + was + ", now " + now);
      }
    }
    return changed;
  }
}
