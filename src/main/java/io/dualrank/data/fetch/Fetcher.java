package io.dualrank.data.fetch;

import io.dualrank.util.AtomicFiles;
import io.dualrank.util.Progress;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a {@link DataSource} into a data root: each file over HTTP into
 * {@code ROOT/.fetch/NAME/FILE.part}, resuming with a {@code Range} request after a cut connection, or one
 * that sends nothing for the read-stall timeout (and on a later run); checked against its pinned SHA-256
 * (and published MD5) before use; converted into a fresh folder; then each file the source writes is moved
 * into place (a file already present is kept), and the downloads are removed. A wrong checksum removes
 * everything the fetch wrote.
 */
public final class Fetcher {
  /** Where downloads wait, under the data root. */
  public static final String STAGING = ".fetch";
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");
  /** Closes response bodies that stall (one daemon thread for every fetcher). */
  private static final ScheduledExecutorService WATCHDOG = watchdog();

  private final HttpClient http;
  private final PrintStream log;
  private final int attempts;
  private final Duration timeout;
  private final Duration stall;

  /**
   * @param attempts connections tried per file before giving up (what is downloaded is kept for a rerun)
   * @param timeout how long to wait for a response's headers
   * @param stall how long a response body may deliver nothing before its connection is dropped and the
   *     download resumed (counting as an attempt)
   */
  public Fetcher(HttpClient http, PrintStream log, int attempts, Duration timeout, Duration stall) {
    if (attempts < 1 || stall.isNegative() || stall.isZero()) {
      throw new IllegalArgumentException("a fetcher needs at least 1 attempt and a positive read-stall timeout, got "
          + attempts + " and " + stall);
    }
    this.http = http;
    this.log = log;
    this.attempts = attempts;
    this.timeout = timeout;
    this.stall = stall;
  }

  /**
   * A fetcher with redirects followed, 5 attempts per file, 60 s to connect and to get the headers, and
   * {@code stall} as read-stall timeout, logging to stderr.
   */
  public static Fetcher standard(Duration stall) {
    return new Fetcher(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(60)).build(), System.err, 5, Duration.ofSeconds(60), stall);
  }

  /** What a fetch wrote and kept. */
  public record Result(List<String> written, List<String> kept, List<String> unverified) {}

  /** Fetches {@code source} into {@code root}; nothing is downloaded when every file it writes is present. */
  public Result fetch(DataSource source, Path root) throws IOException {
    Path base = root.toAbsolutePath().normalize();
    if (source.files().stream().allMatch(f -> Files.isRegularFile(base.resolve(f)))) {
      log.printf("fetch %s: every file is already under %s%n", source.name(), base);
      return new Result(List.of(), source.files(), List.of());
    }
    Path staging = base.resolve(STAGING).resolve(source.name());
    Files.createDirectories(staging);
    List<Path> downloads = new ArrayList<>();
    List<String> unverified = new ArrayList<>();
    for (DataSource.Download d : source.downloads()) {
      Path file = staging.resolve(d.fileName());
      if (!Files.isRegularFile(file)) {
        Path part = staging.resolve(d.fileName() + ".part");
        download(d, part);
        check(d, part, staging);
        move(part, file);
      }
      if (!d.verified()) {
        unverified.add(d.url());
      }
      downloads.add(file);
    }
    Path out = staging.resolve("out");
    AtomicFiles.deleteRecursively(out);
    Files.createDirectories(out);
    source.conversion().convert(downloads, out);
    List<String> written = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (String f : source.files()) {
      if (!Files.isRegularFile(out.resolve(f))) {
        throw new IOException("fetch " + source.name() + ": the downloads hold no " + f + " (kept in " + staging
            + "); has the source changed?");
      }
    }
    for (String f : source.files()) {
      Path target = base.resolve(f);
      if (Files.exists(target)) {
        kept.add(f);
        continue;
      }
      Files.createDirectories(target.getParent());
      move(out.resolve(f), target);
      written.add(f);
    }
    AtomicFiles.deleteRecursively(staging);
    deleteIfEmpty(base.resolve(STAGING));
    log.printf("fetch %s: %d files written under %s%s%n", source.name(), written.size(), base,
        kept.isEmpty() ? "" : "; kept the ones already there: " + String.join(", ", kept));
    return new Result(written, kept, unverified);
  }

  /** Downloads {@code d} into {@code part}, resuming from what {@code part} holds. */
  private void download(DataSource.Download d, Path part) throws IOException {
    IOException last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      long have = Files.isRegularFile(part) ? Files.size(part) : 0;
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(d.url())).timeout(timeout).GET();
      if (have > 0) {
        request.header("Range", "bytes=" + have + "-");
      }
      try {
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = new StallGuard(response.body())) {
          int status = response.statusCode();
          if (status == 416 && have > 0) {
            return; // the part file already holds the whole file
          }
          boolean append = status == 206 && rangeStart(response) == have;
          if (status != 200 && !append) {
            throw new IOException("HTTP " + status + " for " + d.url());
          }
          long start = append ? have : 0;
          long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
          Progress progress = new Progress("download " + d.fileName(), length < 0 ? 0 : start + length, "bytes", start,
              log, Duration.ofSeconds(5));
          try (OutputStream o = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            long done = start;
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = body.read(buffer)) >= 0; ) {
              o.write(buffer, 0, n);
              done += n;
              progress.advance(done);
            }
            if (length >= 0 && done - start < length) {
              throw new IOException("connection closed after " + done + " of " + (start + length) + " bytes");
            }
          }
          return;
        }
      } catch (IOException e) {
        last = e;
        log.printf("download %s: %s; %s%n", d.fileName(), e.getMessage() == null ? "connection failed" : e.getMessage(),
            attempt < attempts ? "resuming (attempt " + (attempt + 1) + " of " + attempts + ")" : "giving up");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("download of " + d.url() + " interrupted; rerun to resume", e);
      }
    }
    long kept = Files.isRegularFile(part) ? Files.size(part) : 0;
    throw new IOException("download of " + d.url() + " failed after " + attempts + " attempts ("
        + (last == null || last.getMessage() == null ? "connection failed" : last.getMessage()) + "); rerun the same"
        + " command to " + (kept > 0 ? "resume from the " + kept + " bytes kept in " + part : "try again"));
  }

  /**
   * A response body whose connection is closed by the watchdog once it has delivered nothing for the
   * read-stall timeout; the blocked read then fails with an IOException saying so.
   */
  private final class StallGuard extends FilterInputStream {
    private volatile long lastData = System.nanoTime();
    private volatile boolean stalled;
    private ScheduledFuture<?> check;
    private boolean closed;

    StallGuard(InputStream body) {
      super(body);
      watch(stall.toNanos());
    }

    private synchronized void watch(long delayNanos) {
      if (!closed) {
        check = WATCHDOG.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
      }
    }

    private void check() {
      long idle = System.nanoTime() - lastData;
      if (idle < stall.toNanos()) {
        watch(stall.toNanos() - idle);
        return;
      }
      stalled = true;
      try {
        in.close(); // unblocks the read waiting on it
      } catch (IOException e) {
        // the read fails either way
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = in.read(b, off, len);
      } catch (IOException e) {
        throw stalled ? stalledError(e) : e;
      }
      if (n < 0 && stalled) {
        throw stalledError(null);
      }
      lastData = System.nanoTime();
      return n;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    private IOException stalledError(IOException cause) {
      return new IOException(String.format(Locale.ROOT, "read stalled, no data for %.1f s",
          stall.toMillis() / 1000.0), cause);
    }

    @Override
    public void close() throws IOException {
      synchronized (this) {
        closed = true;
        check.cancel(false);
      }
      in.close();
    }
  }

  private static ScheduledExecutorService watchdog() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "fetch-stall-watchdog");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /** The first byte of a 206 response, from its Content-Range; -1 when absent or malformed. */
  private static long rangeStart(HttpResponse<?> response) {
    Matcher m = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * Checks a download against its pinned SHA-256 and published MD5; on a mismatch removes the staging
   * folder (and {@code .fetch} when empty) and fails. Without a pinned SHA-256 prints that it is unverified.
   */
  private void check(DataSource.Download d, Path part, Path staging) throws IOException {
    String[] digests = digests(part);
    String problem = null;
    if (d.sha256() != null && !d.sha256().equals(digests[0])) {
      problem = "SHA-256 " + digests[0] + ", expected " + d.sha256();
    } else if (d.md5() != null && !d.md5().equals(digests[1])) {
      problem = "MD5 " + digests[1] + ", expected " + d.md5();
    }
    if (problem != null) {
      AtomicFiles.deleteRecursively(staging);
      deleteIfEmpty(staging.getParent());
      throw new IOException("download of " + d.url() + " has " + problem + " (" + d.provenance()
          + "); removed it. A changed or corrupted file: nothing was written into the data root");
    }
    if (d.sha256() == null) {
      log.printf(Locale.ROOT, "download %s: UNVERIFIED, no SHA-256 is pinned for it (%s)%s; its SHA-256 is %s%n",
          d.fileName(), d.provenance(), d.md5() != null ? "; its MD5 matches the published one" : "", digests[0]);
    }
  }

  /** [SHA-256, MD5] of a file, lower-case hex. */
  static String[] digests(Path file) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          sha.update(buffer, 0, n);
          md5.update(buffer, 0, n);
        }
      }
      return new String[] {HexFormat.of().formatHex(sha.digest()), HexFormat.of().formatHex(md5.digest())};
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private static void deleteIfEmpty(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isEmpty()) {
          Files.delete(dir);
        }
      }
    }
  }
}
