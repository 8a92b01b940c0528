package io.dualrank.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Missing, unreadable or misplaced files are reported as one line naming the path, never a Java class name. */
class FileErrorsTest {
  @TempDir Path tmp;

  private static String error(int expectedStatus, String... args) {
    var cl = DualRank.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    int status = cl.execute(args);
    String text = err.toString().strip();
    assertEquals(expectedStatus, status, text);
    assertEquals(1, text.lines().count(), text);
    assertFalse(text.contains("java.") || text.contains("Exception"), text);
    return text;
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    Path qrels = Files.writeString(tmp.resolve("qrels.txt"), "q1 0 d1 1\n");
    Path run = tmp.resolve("missing.run");
    assertEquals("dualrank eval: no such file or directory: " + run,
        error(2, "eval", "--qrels", qrels.toString(), "--run", run.toString()));

    Path yaml = tmp.resolve("nowhere.yaml"); // Jackson's FileNotFoundException, wrapped in an UncheckedIOException
    assertEquals("dualrank train: no such file or directory: " + yaml,
        error(2, "train", "--dataset", yaml.toString(), "--model", "de", "--out", tmp.resolve("m").toString()));

    Path config = tmp.resolve("absent/experiment.yaml");
    assertEquals("dualrank reproduce: no such file or directory: " + config,
        error(2, "reproduce", "--config", config.toString()));
  }

  @Test
  void aFileWhereADirectoryShouldBeIsNamed() throws IOException {
    Path file = Files.writeString(tmp.resolve("corpus.tsv"), "d1\ttext\n");
    Path out = file.resolve("model");
    assertEquals("dualrank init: not a directory: " + out,
        error(2, "init", "--model", "de", "--init", "random:1x8x1", "--out", out.toString()));
    assertEquals("dualrank eval: not a directory: " + file.resolve("qrels"),
        error(2, "eval", "--qrels", file.resolve("qrels").toString(), "--run", file.toString()));
  }

  @Test
  void everyCommonFileErrorReadsAsWords() {
    assertEquals("no such file or directory: /a", ErrorHandler.describe(new NoSuchFileException("/a")));
    assertEquals("permission denied: /a", ErrorHandler.describe(new AccessDeniedException("/a")));
    assertEquals("not a directory: /a", ErrorHandler.describe(new NotDirectoryException("/a")));
    assertEquals("already exists: /a", ErrorHandler.describe(new FileAlreadyExistsException("/a")));
    assertEquals("directory not empty: /a", ErrorHandler.describe(new DirectoryNotEmptyException("/a")));
    assertEquals("permission denied: /a -> /b (Read-only file system)",
        ErrorHandler.describe(new AccessDeniedException("/a", "/b", "Read-only file system")));
    assertEquals("no space left on device: /a", ErrorHandler.describe(new FileSystemException("/a", null,
        "No space left on device")));
    assertEquals("is a directory: /a", ErrorHandler.describe(new FileNotFoundException("/a (Is a directory)")));
    assertEquals("no such file or directory: /a",
        ErrorHandler.describe(new IOException(new NoSuchFileException("/a"))));
    assertEquals("unexpected end of file", ErrorHandler.describe(new java.io.EOFException()));
    assertEquals("input/output error", ErrorHandler.describe(new IOException((String) null)));
  }
}
