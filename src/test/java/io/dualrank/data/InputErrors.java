package io.dualrank.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.function.Executable;

/** Test helpers: write fixture files, and check that a reader rejects one at the right place. */
final class InputErrors {
  private InputErrors() {}

  static Path write(Path dir, String name, String content) {
    return write(dir, name, content.getBytes(StandardCharsets.UTF_8));
  }

  static Path write(Path dir, String name, byte[] content) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      return Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asserts an InputFormatException naming {@code file} and {@code line}, whose message contains {@code expected}. */
  static InputFormatException assertInputError(Path file, long line, String expected, Executable reading) {
    InputFormatException e = assertThrows(InputFormatException.class, reading);
    assertEquals(file, e.file(), e.getMessage());
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    assertTrue(e.getMessage().startsWith(file + (line > 0 ? ":" + line + ": " : ": ")), e.getMessage());
    return e;
  }
}
