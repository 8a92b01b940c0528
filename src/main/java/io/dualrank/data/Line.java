package io.dualrank.data;

import java.nio.file.Path;

/**
 * One line of a text file, with its 1-based number, and the field parsing every reader shares. Each helper
 * either returns what was asked for or throws an {@link InputFormatException} naming this file and line.
 */
public record Line(Path file, long number, String text) {

  /** An error at this line; {@code expected} says what should have been there. */
  public InputFormatException error(String expected) {
    return new InputFormatException(file, number, expected);
  }

  /** Exactly {@code n} tab-separated fields; {@code layout} names them for the message, e.g. "pid \t text". */
  public String[] tabFields(int n, String layout) {
    String[] fields = text.split("\t", -1);
    if (fields.length != n) {
      throw error(n + " tab-separated fields (" + layout + "), found " + fields.length);
    }
    return fields;
  }

  /** Exactly {@code n} fields separated by runs of spaces or tabs (TREC formats); no empty line. */
  public String[] whitespaceFields(int n, String layout) {
    String trimmed = text.strip();
    String[] fields = trimmed.isEmpty() ? new String[0] : trimmed.split("[ \t]+");
    if (fields.length != n) {
      throw error(n + " whitespace-separated fields (" + layout + "), found " + fields.length);
    }
    return fields;
  }

  /** A non-empty identifier. */
  public String id(String value, String what) {
    if (value.isEmpty()) {
      throw error("a non-empty " + what);
    }
    return value;
  }

  public int parseInt(String value, String what) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw error("an integer " + what + ", found '" + value + "'");
    }
  }

  /** A finite decimal number (no NaN or infinity: they have no place in a ranking). */
  public double parseDouble(String value, String what) {
    double d;
    try {
      d = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw error("a number " + what + ", found '" + value + "'");
    }
    if (!Double.isFinite(d)) {
      throw error("a finite " + what + ", found '" + value + "'");
    }
    return d;
  }
}
