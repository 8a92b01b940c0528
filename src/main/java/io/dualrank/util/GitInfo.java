package io.dualrank.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The git commit of the working directory's checkout, recorded with every trained model and result. */
public record GitInfo(String commit, boolean dirty) {
  /** The commit and whether tracked files have uncommitted changes; "unknown" outside a git checkout. */
  public static GitInfo current() {
    String commit = git("rev-parse", "HEAD");
    if (commit == null || commit.isEmpty()) {
      return new GitInfo("unknown", false);
    }
    String status = git("status", "--porcelain", "--untracked-files=no");
    return new GitInfo(commit, status != null && !status.isEmpty());
  }

  /** {@code commit}, with "-dirty" appended when there were uncommitted changes. */
  public String describe() {
    return dirty ? commit + "-dirty" : commit;
  }

  private static String git(String... args) {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "git";
    System.arraycopy(args, 0, cmd, 1, args.length);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.getErrorStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
