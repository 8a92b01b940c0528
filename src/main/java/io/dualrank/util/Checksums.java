package io.dualrank.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA-256 checksums of files, read streaming. A file is read once per process: the checksum is kept under its
 * real path, size and modification time, so a file changed meanwhile (other size or time) is read again.
 */
public final class Checksums {
  private record Version(Path file, long bytes, long modifiedMillis) {}

  private static final Map<Version, String> CACHE = new ConcurrentHashMap<>();

  private Checksums() {}

  /** The lower-case hex SHA-256 of a file's bytes. */
  public static String sha256(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      Version v = new Version(file.toRealPath(), a.size(), a.lastModifiedTime().toMillis());
      String cached = CACHE.get(v);
      if (cached != null) {
        return cached;
      }
      String sum = digest(file);
      CACHE.put(v, sum);
      return sum;
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("no file " + file.toAbsolutePath() + " to take the checksum of", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  private static String digest(Path file) throws IOException {
    MessageDigest sha = sha();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
