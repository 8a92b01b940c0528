package io.dualrank.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes leave the content in place, no temporary sibling, and the mode any new file gets (umask). */
class AtomicFilesTest {
  @TempDir Path tmp;

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void filesAndDirectoriesGetTheUmaskDerivedModeOfANewFile() throws IOException {
    String fileMode = mode(Files.createFile(tmp.resolve("reference.txt")));
    String dirMode = mode(Files.createDirectory(tmp.resolve("reference-dir")));

    Path text = tmp.resolve("out/run.trec");
    AtomicFiles.writeText(text, w -> w.write("q1 Q0 d1 1 2.5 tag\n"));
    assertEquals("q1 Q0 d1 1 2.5 tag\n", Files.readString(text));
    assertEquals(fileMode, mode(text), "not createTempFile's rw-------");

    Path model = tmp.resolve("out/model");
    for (String content : List.of("first", "second")) { // the second replaces an existing directory
      AtomicFiles.writeDirectory(model, dir -> Files.writeString(dir.resolve("config.json"), content));
      assertEquals(content, Files.readString(model.resolve("config.json")));
      assertEquals(dirMode, mode(model), "not createTempDirectory's rwx------");
    }
    try (Stream<Path> s = Files.list(tmp.resolve("out"))) {
      assertEquals(List.of("model", "run.trec"), s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }
}
