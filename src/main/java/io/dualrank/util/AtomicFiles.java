package io.dualrank.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes files and directories so that readers see either the old content or the complete new content,
 * never a partial one: content goes to a temporary sibling, which is then renamed over the target.
 * Temporary siblings are named {@code .NAME.RANDOM.tmp} (files) and {@code .NAME.tmp-RANDOM} (directories),
 * so that those a killed job left behind can be told apart and removed ({@link #removeLeftovers}).
 */
public final class AtomicFiles {
  private static final Pattern LEFTOVER = Pattern.compile("\\..+\\.tmp(-\\d+)?");

  private AtomicFiles() {}

  /** Removes the temporary files and directories of writes that never finished (a killed job's) in {@code dir}. */
  public static void removeLeftovers(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path leftover : entries.filter(p -> LEFTOVER.matcher(p.getFileName().toString()).matches()).toList()) {
        deleteRecursively(leftover);
      }
    }
  }

  /** Something that writes a file or fills a directory at a given (temporary) path. */
  @FunctionalInterface
  public interface Writer {
    void write(Path tmp) throws IOException;
  }

  /** Writes {@code target} through a temporary file in the same directory, then renames it into place. */
  public static void writeFile(Path target, Writer writer) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = createSibling(dir, "." + target.getFileName() + ".", ".tmp", false);
    try {
      writer.write(tmp);
      move(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes {@code target} from an output stream (buffered by the caller as needed). */
  public static void writeStream(Path target, StreamWriter writer) throws IOException {
    writeFile(target, tmp -> {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        writer.write(out);
      }
    });
  }

  /** Writes {@code target} as UTF-8 text. */
  public static void writeText(Path target, TextWriter writer) throws IOException {
    writeFile(target, tmp -> {
      try (java.io.Writer out = Files.newBufferedWriter(tmp, java.nio.charset.StandardCharsets.UTF_8)) {
        writer.write(out);
      }
    });
  }

  /** Something that writes text. */
  @FunctionalInterface
  public interface TextWriter {
    void write(java.io.Writer out) throws IOException;
  }

  /** Something that writes bytes to a stream. */
  @FunctionalInterface
  public interface StreamWriter {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Fills a temporary sibling directory, then replaces {@code target} with it (an existing target is
   * removed only once the new content is complete).
   */
  public static void writeDirectory(Path target, Writer writer) throws IOException {
    Path abs = target.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    Path tmp = createSibling(abs.getParent(), "." + abs.getFileName() + ".tmp-", "", true);
    try {
      writer.write(tmp);
      if (Files.exists(abs)) {
        Path old = createSibling(abs.getParent(), "." + abs.getFileName() + ".old.tmp-", "", true);
        Files.delete(old);
        move(abs, old);
        move(tmp, abs);
        deleteRecursively(old);
      } else {
        move(tmp, abs);
      }
    } finally {
      deleteRecursively(tmp);
    }
  }

  /**
   * A new empty file or directory {@code dir/prefix<random>suffix}, with the mode any new file gets (from the
   * umask: 0644 or 0755 typically). {@code Files.createTempFile} would make it 0600 (0700), and the rename
   * into place would keep that.
   */
  private static Path createSibling(Path dir, String prefix, String suffix, boolean directory) throws IOException {
    while (true) {
      Path p = dir.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + suffix);
      try {
        return directory ? Files.createDirectory(p) : Files.createFile(p);
      } catch (FileAlreadyExistsException taken) {
        // another writer drew the same name: draw again
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes a file or directory tree; does nothing when it does not exist. */
  public static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
