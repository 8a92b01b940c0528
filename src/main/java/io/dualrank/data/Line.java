package io.dualrank.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

  /**
   * Exactly {@code n} fields separated by runs of ASCII whitespace (TREC formats); no empty line. The
   * separators are those of C's {@code isspace} in the C locale, as trec_eval splits: space, {@code \t},
   * {@code \u000B}, {@code \f}, {@code \r}. Any other character, a no-break or ideographic space
   * included, is part of a field.
   */
  public String[] whitespaceFields(int n, String layout) {
    String[] fields = whitespaceSplit();
    if (fields.length != n) {
      throw error(n + " whitespace-separated fields (" + layout + "), found " + fields.length);
    }
    return fields;
  }

  /** At least {@code n} whitespace-separated fields (as {@link #whitespaceFields}); all of them are returned. */
  public String[] leadingWhitespaceFields(int n, String layout) {
    String[] fields = whitespaceSplit();
    if (fields.length < n) {
      throw error("at least " + n + " whitespace-separated fields (" + layout + "), found " + fields.length);
    }
    return fields;
  }

  /** True when the line holds nothing but ASCII whitespace (see {@link #whitespaceFields}). */
  public boolean isBlank() {
    return text.chars().allMatch(Line::isAsciiSpace);
  }

  /** True when the first character after any ASCII whitespace is {@code #}. */
  public boolean isComment() {
    int i = 0;
    while (i < text.length() && isAsciiSpace(text.charAt(i))) {
      i++;
    }
    return i < text.length() && text.charAt(i) == '#';
  }

  private String[] whitespaceSplit() {
    List<String> fields = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      while (i < text.length() && isAsciiSpace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < text.length() && !isAsciiSpace(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        fields.add(text.substring(start, i));
      }
    }
    return fields.toArray(String[]::new);
  }

  /** C's {@code isspace} in the C locale, less {@code \n} (which ends a line). */
  private static boolean isAsciiSpace(int c) {
    return c == ' ' || c == '\t' || c == 0x0B || c == '\f' || c == '\r';
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
