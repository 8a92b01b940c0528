package io.dualrank.spark;

import io.dualrank.data.InputFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkException;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * What the jobs' thin mains share: a Spark session for the job's run, and errors a user can act on (a bad
 * input line, a missing file, a bad argument), also when Spark wraps them in a failed stage's exception,
 * turned into one line on stderr and exit code 2; anything else keeps its stack trace (exit code 1).
 */
final class JobMain {
  private JobMain() {}

  /** A job body run with a session. */
  interface Job {
    void run(SparkSession spark) throws IOException;
  }

  /** Runs {@code job} in a session named {@code dualrank-<name>} (its master from spark-submit), then stops it. */
  static Integer withSession(String name, Job job) throws IOException {
    SparkSession spark = SparkSession.builder().appName("dualrank-" + name).getOrCreate();
    try {
      job.run(spark);
    } finally {
      spark.stop();
    }
    return 0;
  }

  /**
   * Runs {@code write} (a job's Spark action) and reports on stderr how many {@code what} the table it
   * wrote at {@code out} holds, in how many seconds (the tasks' model loads included, the JVM and Spark
   * start-up not): the figure spark/bench/speed.sh reads.
   */
  static void timed(SparkSession spark, String name, String what, String out, Runnable write) {
    long start = System.nanoTime();
    write.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    long n = spark.read().parquet(out).count();
    System.err.printf(Locale.ROOT, "%s: %d %s in %.1f s (%.1f/s)%n", name, n, what, seconds, n / seconds);
  }

  /** Parses {@code args} into {@code command}, runs it and exits with its code. */
  static void main(Object command, String[] args) {
    System.exit(new CommandLine(command).setExecutionExceptionHandler((e, cl, parsed) -> {
      String message = userError(e);
      if (message != null) {
        cl.getErr().println("dualrank-spark " + cl.getCommandName() + ": " + message);
        return 2;
      }
      e.printStackTrace(cl.getErr());
      return 1;
    }).execute(args));
  }

  /**
   * The message of the first error of {@code e}'s cause chain that a user can act on, or null. A failed
   * task reaches the driver as a {@link SparkException} that keeps only the text of the task's exception
   * ("... executor driver): io.dualrank.data.InputFormatException: file:3: expected ..."), so that text
   * is searched too.
   */
  static String userError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InputFormatException || t instanceof IOException || t instanceof UncheckedIOException
          || t instanceof IllegalArgumentException) {
        return t.getMessage();
      }
      if (t instanceof SparkException && t.getMessage() != null) {
        Matcher m = TASK_ERROR.matcher(t.getMessage());
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    return null;
  }

  private static final Pattern TASK_ERROR = Pattern.compile("(?:" + Pattern.quote(InputFormatException.class.getName())
      + "|java\\.lang\\.IllegalArgumentException|java\\.io\\.\\w*IOException|java\\.io\\.\\w*NotFoundException"
      + "|java\\.nio\\.file\\.\\w*Exception): ([^\\n]*)");
}
