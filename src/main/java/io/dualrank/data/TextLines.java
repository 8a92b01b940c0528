package io.dualrank.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The line reader under every text format here: streams the lines of a file with their numbers, decoding
 * strict UTF-8 one line at a time, so that a bad byte sequence is reported at its own line. Lines end at
 * {@code \n}; a trailing {@code \r} is dropped; the last line needs no terminator. An empty file is an
 * error (every format here has at least one record).
 *
 * <p>Byte-order marks, the one rule of every reader here: a UTF-8 byte-order mark ({@code EF BB BF}) at the
 * start of a file is dropped, so that it never becomes part of the first id (Windows editors and
 * spreadsheets write one; it carries no content; Jackson and Python's {@code utf-8-sig} drop it too). A
 * {@code U+FEFF} anywhere else is text and kept. A file that starts with a UTF-16 byte-order mark is
 * rejected, as it is not UTF-8.
 */
public final class TextLines {
  private static final int BUFFER_SIZE = 1 << 16;
  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private TextLines() {}

  /** The lines of {@code file}, lazily; close the stream to close the file. */
  public static Stream<Line> stream(Path file) {
    PushbackInputStream in;
    try {
      long size = Files.size(file);
      if (size == 0) {
        throw new InputFormatException(file, 0, "a non-empty file");
      }
      in = new PushbackInputStream(Files.newInputStream(file), UTF8_BOM.length);
      try {
        skipByteOrderMark(file, in, size);
      } catch (RuntimeException e) {
        in.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LineIterator it = new LineIterator(file, in);
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
        .onClose(it::close);
  }

  /** Consumes a UTF-8 byte-order mark at the start of {@code in}; throws if nothing follows it or on a UTF-16 one. */
  private static void skipByteOrderMark(Path file, PushbackInputStream in, long size) throws IOException {
    byte[] head = in.readNBytes(UTF8_BOM.length);
    boolean utf8Bom = Arrays.equals(head, UTF8_BOM);
    if (utf8Bom && size == UTF8_BOM.length) {
      throw new InputFormatException(file, 0, "a non-empty file, found only a byte-order mark");
    }
    if (head.length >= 2 && ((head[0] == (byte) 0xFF && head[1] == (byte) 0xFE)
        || (head[0] == (byte) 0xFE && head[1] == (byte) 0xFF))) {
      throw new InputFormatException(file, 1, "UTF-8 text, found a UTF-16 byte-order mark (save it as UTF-8)");
    }
    if (!utf8Bom) {
      in.unread(head);
    }
  }

  private static final class LineIterator implements Iterator<Line> {
    private final Path file;
    private final InputStream in;
    private final CharsetDecoder utf8 =
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private int lineLength;
    private long number;
    private Line next;

    LineIterator(Path file, InputStream in) {
      this.file = file;
      this.in = in;
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        try {
          next = readLine();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return next != null;
    }

    @Override
    public Line next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Line l = next;
      next = null;
      return l;
    }

    /** The next line, or null at the end of the file. */
    private Line readLine() throws IOException {
      lineLength = 0;
      boolean sawBytes = false;
      while (true) {
        if (pos == limit) {
          limit = Math.max(in.read(buffer), 0);
          pos = 0;
          if (limit == 0) {
            return sawBytes ? decode() : null;
          }
        }
        sawBytes = true;
        int start = pos;
        while (pos < limit && buffer[pos] != '\n') {
          pos++;
        }
        append(start, pos - start);
        if (pos < limit) {
          pos++; // the '\n'
          return decode();
        }
      }
    }

    private void append(int start, int length) {
      if (lineLength + length > line.length) {
        line = Arrays.copyOf(line, Math.max(2 * line.length, lineLength + length));
      }
      System.arraycopy(buffer, start, line, lineLength, length);
      lineLength += length;
    }

    private Line decode() {
      number++;
      int length = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
      try {
        return new Line(file, number, utf8.decode(ByteBuffer.wrap(line, 0, length)).toString());
      } catch (CharacterCodingException e) {
        throw new InputFormatException(file, number, "valid UTF-8 text", e);
      }
    }

    void close() {
      try {
        in.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
