package io.dualrank.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** The git commit of the running code, recorded with every trained model and result. */
public record GitInfo(String commit, boolean dirty) {
  /** Written by the build (git-commit-id-maven-plugin): the commit the classes were compiled from. */
  static final String BUILD_PROPERTIES = "/io/dualrank/git.properties";

  /**
   * The commit the running classes were built from and whether that tree had uncommitted changes (the build's
   * {@value #BUILD_PROPERTIES}), so a copy of the jar run in a checkout that has moved on still names its own code;
   * without it, the working directory's checkout (tracked files only); "unknown" outside a git checkout.
   */
  public static GitInfo current() {
    GitInfo built = fromBuild(GitInfo.class.getResourceAsStream(BUILD_PROPERTIES));
    return built != null ? built : fromCheckout();
  }

  /** The build's record, or null when there is none or it names no commit. */
  static GitInfo fromBuild(InputStream properties) {
    if (properties == null) {
      return null;
    }
    Properties p = new Properties();
    try (properties) {
      p.load(properties);
    } catch (IOException e) {
      return null;
    }
    String commit = p.getProperty("git.commit.id", "").trim();
    return commit.isEmpty() ? null : new GitInfo(commit, Boolean.parseBoolean(p.getProperty("git.dirty")));
  }

  private static GitInfo fromCheckout() {
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
