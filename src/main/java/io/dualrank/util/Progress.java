package io.dualrank.util;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress of a long job on one line of stderr: {@code label done/total (pct) rate/s ETA extra}, printed
 * at most every {@code interval} and once at the end. Thread-safe.
 */
public final class Progress {
  private final String label;
  private final long total;
  private final String unit;
  private final PrintStream out;
  private final long intervalNanos;
  private final long start = System.nanoTime();
  private final long startDone;
  private long lastPrint;

  /**
   * @param label what is being done, e.g. "train"
   * @param total how many units in all (0 when unknown)
   * @param unit what a unit is, e.g. "docs", "steps"
   * @param startDone units already done before this job started (a resumed run), not counted in the rate
   */
  public Progress(String label, long total, String unit, long startDone, PrintStream out, Duration interval) {
    this.label = label;
    this.total = total;
    this.unit = unit;
    this.startDone = startDone;
    this.out = out;
    this.intervalNanos = interval.toNanos();
    this.lastPrint = start;
  }

  /** A progress line on stderr every 5 seconds. */
  public static Progress stderr(String label, long total, String unit) {
    return new Progress(label, total, unit, 0, System.err, Duration.ofSeconds(5));
  }

  /** A progress reporter that prints nothing. */
  public static Progress silent() {
    return new Progress("", 0, "", 0, null, Duration.ZERO);
  }

  /** Reports that {@code done} units are complete. */
  public void advance(long done) {
    advance(done, "");
  }

  /** Reports that {@code done} units are complete, with extra figures (e.g. the loss) shown on the line. */
  public synchronized void advance(long done, String extra) {
    if (out == null) {
      return;
    }
    long now = System.nanoTime();
    boolean finished = total > 0 && done >= total;
    if (!finished && now - lastPrint < intervalNanos) {
      return;
    }
    lastPrint = now;
    out.println(line(done, now, extra));
  }

  String line(long done, long now, String extra) {
    double secs = Math.max(1e-9, (now - start) / 1e9);
    double rate = (done - startDone) / secs;
    StringBuilder sb = new StringBuilder(label).append(' ').append(done);
    if (total > 0) {
      sb.append('/').append(total)
          .append(String.format(Locale.ROOT, " (%.1f%%)", 100.0 * done / total));
    }
    sb.append(String.format(Locale.ROOT, " %.1f %s/s elapsed %s", rate, unit, format(secs)));
    if (total > 0 && rate > 0 && done < total) {
      sb.append(" ETA ").append(format((total - done) / rate));
    }
    if (!extra.isEmpty()) {
      sb.append(' ').append(extra);
    }
    return sb.toString();
  }

  static String format(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }
}
