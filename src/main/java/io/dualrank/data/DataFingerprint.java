package io.dualrank.data;

import io.dualrank.util.Checksums;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which data a result came from: the dataset's name, the data root as given, and every file read with its
 * size and SHA-256 (definition, corpus, queries, and per split its qrels, candidate runs and held-out list).
 * Recorded in model directories and reports, so that results made on other data are never taken for these,
 * and part of the keys of cached stages and resumable jobs, so that changed data is never reused.
 *
 * @param dataRoot the data root as the user gave it (or the default that was taken)
 */
public record DataFingerprint(String dataset, String dataRoot, List<DataFile> files) {
  /**
   * One file read.
   *
   * @param role what it is: {@code definition}, {@code corpus}, {@code queries}, or {@code SPLIT qrels},
   *     {@code SPLIT candidates}, {@code SPLIT heldOut}
   * @param path relative to the data root when under it, else to the project directory when under it (the
   *     definition, held-out lists), else absolute
   */
  public record DataFile(String role, String path, long bytes, String sha256) {}

  public DataFingerprint {
    files = List.copyOf(files);
  }

  /** The fingerprint of the files a job on {@code splits} (e.g. train and test, or parts such as train:fit) reads. */
  public static DataFingerprint of(Dataset dataset, Collection<String> splits) {
    Path root = dataset.dataRoot();
    List<DataFile> files = new ArrayList<>();
    files.add(file("definition", dataset.definition(), root));
    files.add(file("corpus", dataset.corpus().file(), root));
    files.add(file("queries", dataset.queries().file(), root));
    for (String split : new LinkedHashSet<>(splits)) {
      String base = split.contains(":") ? split.substring(0, split.indexOf(':')) : split;
      Dataset.Split s = dataset.split(split);
      s.qrels().forEach(f -> files.add(file(base + " qrels", f, root)));
      s.candidates().forEach(f -> files.add(file(base + " candidates", f, root)));
      dataset.heldOutFile(split).ifPresent(f -> files.add(file(base + " heldOut", f, root)));
    }
    return new DataFingerprint(dataset.name(), root.toString(), files.stream().distinct().toList());
  }

  /** This fingerprint with the files {@code extra} added under {@code role} (e.g. candidate runs given on the command line). */
  public DataFingerprint with(String role, Collection<Path> extra) {
    List<DataFile> all = new ArrayList<>(files);
    extra.forEach(f -> all.add(file(role, f, Path.of(dataRoot))));
    return new DataFingerprint(dataset, dataRoot, all);
  }

  /** This fingerprint without the candidate runs (for what is computed before candidates are chosen). */
  public DataFingerprint withoutCandidates() {
    return new DataFingerprint(dataset, dataRoot,
        files.stream().filter(f -> !f.role().endsWith(" candidates")).toList());
  }

  /**
   * What a cache or resume key needs, by file: {@code ROLE PATH} → its SHA-256. Paths under the data root
   * are relative to it, so the same files under another root are the same data.
   */
  public Map<String, String> checksums() {
    Map<String, String> sums = new TreeMap<>();
    files.forEach(f -> sums.put(f.role() + " " + f.path(), f.sha256()));
    return sums;
  }

  private static DataFile file(String role, Path file, Path root) {
    Path abs = file.toAbsolutePath().normalize();
    Path absRoot = root.toAbsolutePath().normalize();
    Path home = Dataset.home().toAbsolutePath().normalize();
    String path = abs.startsWith(absRoot) ? absRoot.relativize(abs).toString()
        : abs.startsWith(home) ? home.relativize(abs).toString() : abs.toString();
    try {
      return new DataFile(role, path, Files.size(file), Checksums.sha256(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + abs + ": " + e.getMessage(), e);
    }
  }
}
