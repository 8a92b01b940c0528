package io.dualrank.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a file all at once or not at all: a temporary file in the same directory, then an atomic move. */
final class AtomicFiles {
  /** What writes the content. */
  interface Content {
    void writeTo(Writer out) throws IOException;
  }

  private AtomicFiles() {}

  static void write(Path target, Content content) {
    Path absolute = target.toAbsolutePath();
    Path tmp = null;
    try {
      Files.createDirectories(absolute.getParent());
      tmp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
      try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        content.writeTo(out);
      }
      Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // the original failure, if any, matters more; a stray temp file is harmless
        }
      }
    }
  }
}
