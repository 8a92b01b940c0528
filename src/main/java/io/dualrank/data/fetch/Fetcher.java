package io.dualrank.data.fetch;

import io.dualrank.util.AtomicFiles;
import io.dualrank.util.Progress;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a {@link DataSource} into a data root: each file over HTTP into
 * {@code ROOT/.fetch/NAME/FILE.part}, resuming with a {@code Range} request after a cut connection (and on
 * a later run); checked against its pinned SHA-256 (and published MD5) before use; converted into a fresh
 * folder; then each file the source writes is moved into place (a file already present is kept), and the
 * downloads are removed. A wrong checksum removes everything the fetch wrote.
 */
public final class Fetcher {
  /** Where downloads wait, under the data root. */
  public static final String STAGING = ".fetch";
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");

  private final HttpClient http;
  private final PrintStream log;
  private final int attempts;
  private final Duration timeout;

  /**
   * @param attempts connections tried per file before giving up (what is downloaded is kept for a rerun)
   * @param timeout how long to wait for a response's headers
   */
  public Fetcher(HttpClient http, PrintStream log, int attempts, Duration timeout) {
    this.http = http;
    this.log = log;
    this.attempts = attempts;
    this.timeout = timeout;
  }

  /** A fetcher with redirects followed, 5 attempts per file and 60 s timeouts, logging to stderr. */
  public static Fetcher standard() {
    return new Fetcher(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(60)).build(), System.err, 5, Duration.ofSeconds(60));
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
        try (InputStream body = response.body()) {
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
    throw new IOException("download of " + d.url() + " failed after " + attempts + " attempts ("
        + (last == null ? "" : last.getMessage()) + "); rerun the same command to resume from the "
        + Files.size(part) + " bytes kept in " + part);
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
