package io.dualrank.data;

import static io.dualrank.data.InputErrors.assertInputError;
import static io.dualrank.data.InputErrors.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextLinesTest {
  @TempDir Path dir;

  private static List<Line> read(Path file) {
    try (Stream<Line> lines = TextLines.stream(file)) {
      return lines.toList();
    }
  }

  @Test
  void numbersLinesDropsCarriageReturnsAndReadsAnUnterminatedLastLine() {
    Path f = write(dir, "a.txt", "één\r\nb\n\nlast");
    List<Line> lines = read(f);
    assertEquals(List.of("één", "b", "", "last"), lines.stream().map(Line::text).toList());
    assertEquals(List.of(1L, 2L, 3L, 4L), lines.stream().map(Line::number).toList());
    assertEquals(f, lines.get(0).file());
  }

  @Test
  void readsLinesLongerThanTheBufferWhole() {
    String longLine = "x".repeat(200_000) + "é";
    assertEquals(List.of("first", longLine, "third"),
        read(write(dir, "long.txt", "first\n" + longLine + "\nthird\n")).stream().map(Line::text).toList());
  }

  @Test
  void badUtf8IsReportedAtItsLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes("ok\nstill ok\nbad \u00e9 then ".getBytes(StandardCharsets.UTF_8));
    bytes.write(0xC3); // a lone lead byte
    bytes.writeBytes(" end\nok\n".getBytes(StandardCharsets.UTF_8));
    Path f = write(dir, "bad.txt", bytes.toByteArray());
    assertInputError(f, 3, "valid UTF-8", () -> read(f));
  }

  @Test
  void latin1IsNotUtf8() {
    Path f = write(dir, "latin1.txt", "caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertInputError(f, 1, "valid UTF-8", () -> read(f));
  }

  @Test
  void everyReaderReportsBadUtf8AtItsLine() {
    byte[] bad = {(byte) 0xFF};
    Path tsv = write(dir, "c.tsv", concat("1\tok\n2\t", bad, "\n"));
    assertInputError(tsv, 2, "valid UTF-8", () -> Corpus.open(tsv).count());
    Path jsonl = write(dir, "q.jsonl", concat("{\"_id\": \"1\", \"text\": \"", bad, "\"}\n"));
    assertInputError(jsonl, 1, "valid UTF-8", () -> QuerySet.open(jsonl).count());
    Path qrels = write(dir, "qrels.txt", concat("1 0 d1 1\n1 0 d", bad, " 1\n"));
    assertInputError(qrels, 2, "valid UTF-8", () -> QrelsReader.read(qrels));
    Path run = write(dir, "run.trec", concat("q Q0 d", bad, " 1 1.0 t\n"));
    assertInputError(run, 1, "valid UTF-8", () -> TrecRunReader.read(run));
  }

  private static byte[] concat(String before, byte[] middle, String after) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(middle);
    bytes.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return bytes.toByteArray();
  }

  @Test
  void emptyFileIsAnError() {
    Path f = write(dir, "empty.txt", "");
    assertInputError(f, 0, "a non-empty file", () -> read(f));
  }
}
