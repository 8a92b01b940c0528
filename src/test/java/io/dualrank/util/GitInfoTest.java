package io.dualrank.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GitInfoTest {
  private static InputStream properties(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void theBuildsRecordNamesTheCommitAndWhetherTheTreeWasDirty() {
    assertEquals(new GitInfo("5124fda85ff3", true),
        GitInfo.fromBuild(properties("#Generated\ngit.commit.id=5124fda85ff3\ngit.dirty=true\n")));
    assertEquals("5124fda85ff3-dirty", GitInfo.fromBuild(properties("git.commit.id=5124fda85ff3\ngit.dirty=true"))
        .describe());
    assertEquals("5124fda85ff3", GitInfo.fromBuild(properties("git.commit.id=5124fda85ff3\ngit.dirty=false"))
        .describe());
    assertNull(GitInfo.fromBuild(null), "no record: the checkout is asked");
    assertNull(GitInfo.fromBuild(properties("git.dirty=false\n")), "a record without a commit is none");
  }

  @Test
  void theBuildRecordsTheCommitOfTheCheckoutItWasBuiltFrom() throws Exception {
    if (!Files.isDirectory(Path.of(".git"))) {
      System.out.println("GitInfoTest: skipped, not built from a git checkout");
      return;
    }
    assertNotNull(GitInfo.class.getResourceAsStream(GitInfo.BUILD_PROPERTIES),
        "the build writes " + GitInfo.BUILD_PROPERTIES + " (git-commit-id-maven-plugin in pom.xml)");
    Process git = new ProcessBuilder("git", "rev-parse", "HEAD").start();
    String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, git.waitFor());
    assertEquals(head, GitInfo.current().commit(), "tests run on classes built from HEAD");
    assertTrue(head.matches("[0-9a-f]{40}"), head);
  }
}
