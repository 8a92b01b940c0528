package io.dualrank.data;

import java.nio.file.Path;

/**
 * Malformed input: names the file, the 1-based line (0 when the problem is the file as a whole) and what
 * was expected there. Readers never skip a bad line silently; they throw this.
 */
public final class InputFormatException extends RuntimeException {
  private final Path file;
  private final long line;

  public InputFormatException(Path file, long line, String expected) {
    this(file, line, expected, null);
  }

  public InputFormatException(Path file, long line, String expected, Throwable cause) {
    super(file + (line > 0 ? ":" + line : "") + ": " + expected, cause);
    this.file = file;
    this.line = line;
  }

  public Path file() {
    return file;
  }

  /** 1-based line number, or 0 when the error concerns the whole file. */
  public long line() {
    return line;
  }
}
