package io.dualrank.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock between processes: a second process is refused while the first holds it, and a killed holder frees it. */
class DirectoryLockTest {
  @TempDir Path tmp;

  /** Run in a child JVM: locks the directory {@code args[0]}, says so, and holds the lock until stdin closes. */
  public static void main(String[] args) throws IOException {
    try (DirectoryLock lock = DirectoryLock.acquire(Path.of(args[0]), "training run")) {
      System.out.println("locked");
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold until the parent closes our stdin
      }
    }
  }

  private static Process holder(Path dir) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), DirectoryLockTest.class.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    }).get(60, TimeUnit.SECONDS);
    assertEquals("locked", line, "the child process took the lock");
    return p;
  }

  @Test
  void anotherProcessIsRefusedWhileTheHolderLivesAndAdmittedOnceItEndsOrIsKilled() throws Exception {
    Path dir = tmp.resolve("out");
    Process first = holder(dir);
    try {
      DirectoryLock.HeldException held = assertThrows(DirectoryLock.HeldException.class,
          () -> DirectoryLock.acquire(dir, "training run"));
      assertTrue(held.getMessage().contains("(training run by process " + first.pid() + "@"), held.getMessage());
      first.getOutputStream().close();
      assertTrue(first.waitFor(60, TimeUnit.SECONDS), "the holder ended");
    } finally {
      first.destroyForcibly();
    }
    assertFalse(Files.exists(dir.resolve(DirectoryLock.FILE)), "a holder that ends removes the lock file");
    DirectoryLock.acquire(dir, "training run").close();

    Process killed = holder(dir);
    killed.destroyForcibly(); // SIGKILL: no cleanup runs
    assertTrue(killed.waitFor(60, TimeUnit.SECONDS), "the holder was killed");
    assertTrue(Files.exists(dir.resolve(DirectoryLock.FILE)), "a killed holder leaves its lock file");
    try (DirectoryLock lock = DirectoryLock.acquire(dir, "training run")) {
      assertTrue(Files.readString(dir.resolve(DirectoryLock.FILE)).contains(ProcessHandle.current().pid() + "@"),
          "the lock, free again, now names this process");
    }
  }
}
