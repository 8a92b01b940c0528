package io.dualrank.data.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dualrank.data.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Fetcher} against fixture archives served from a loopback HTTP server (127.0.0.1, ephemeral port):
 * checksums, resuming after a cut or stalled connection and across runs, a wrong checksum leaving nothing
 * behind, and the final layout loading as the project's dataset definitions.
 */
class FetcherTest {
  @TempDir Path tmp;
  private HttpServer server;
  private final Map<String, byte[]> files = new LinkedHashMap<>();
  /** Paths whose first response is cut half-way through its body. */
  private final Set<String> cutOnce = Collections.synchronizedSet(new HashSet<>());
  /** Paths whose first response stops sending half-way through its body, the connection left open. */
  private final Set<String> stallOnce = Collections.synchronizedSet(new HashSet<>());
  /** Paths whose every response stops sending half-way through what it has to send. */
  private final Set<String> stallAlways = Collections.synchronizedSet(new HashSet<>());
  /** Released when a test ends: a stalled response waits for it (10 s at most), then closes. */
  private final CountDownLatch release = new CountDownLatch(1);
  private ExecutorService handlers;
  /** "PATH RANGE" of every request, RANGE "-" when the request had none. */
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private Fetcher fetcher;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::serve);
    handlers = Executors.newFixedThreadPool(4); // a stalled response must not hold up the next request
    server.setExecutor(handlers);
    server.start();
    fetcher = fetcher(Duration.ofSeconds(10));
  }

  private Fetcher fetcher(Duration stall) {
    return new Fetcher(HttpClient.newHttpClient(), new PrintStream(log, true, StandardCharsets.UTF_8), 3,
        Duration.ofSeconds(10), stall);
  }

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    server.stop(0);
    handlers.shutdown();
    assertTrue(handlers.awaitTermination(10, TimeUnit.SECONDS), "the fixture server's handlers ended");
  }

  private void serve(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String range = ex.getRequestHeaders().getFirst("Range");
    requests.add(path + " " + (range == null ? "-" : range));
    byte[] body = files.get(path);
    if (body == null) {
      ex.sendResponseHeaders(404, -1);
      ex.close();
      return;
    }
    int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
    if (from > 0) {
      ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
    }
    ex.sendResponseHeaders(from > 0 ? 206 : 200, body.length - from);
    try (OutputStream out = ex.getResponseBody()) {
      if (cutOnce.remove(path)) {
        out.write(body, from, (body.length - from) / 2);
        out.flush();
        return; // closing the body short of its Content-Length drops the connection: a cut download
      }
      if (stallOnce.remove(path) || stallAlways.contains(path)) {
        out.write(body, from, (body.length - from) / 2);
        out.flush();
        try {
          release.await(10, TimeUnit.SECONDS); // sends nothing more, the connection open
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      out.write(body, from, body.length - from);
    }
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private static byte[] zip(Map<String, String> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (var e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** A BEIR-style scifact.zip, large enough (incompressible padding) to be cut in the middle. */
  private byte[] scifactZip() throws IOException {
    StringBuilder corpus = new StringBuilder();
    java.util.Random random = new java.util.Random(1);
    for (int i = 0; i < 200; i++) {
      corpus.append("{\"_id\": \"d").append(i).append("\", \"title\": \"t\", \"text\": \"")
          .append(Long.toHexString(random.nextLong())).append(Long.toHexString(random.nextLong())).append("\"}\n");
    }
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("scifact/", "");
    entries.put("scifact/corpus.jsonl", corpus.toString());
    entries.put("scifact/queries.jsonl", "{\"_id\": \"q1\", \"text\": \"one\"}\n{\"_id\": \"q2\", \"text\": \"two\"}\n");
    entries.put("scifact/qrels/train.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
    entries.put("scifact/qrels/test.tsv", "query-id\tcorpus-id\tscore\nq2\td2\t1\n");
    return zip(entries);
  }

  private DataSource scifact(String sha256, String md5) {
    DataSource real = DataSource.named("scifact").orElseThrow();
    return new DataSource(real.name(), real.description(), List.of(new DataSource.Download(url("/scifact.zip"),
        "scifact.zip", sha256, md5, "test fixture")), real.conversion(), real.files(), real.bring());
  }

  @Test
  void aCutDownloadResumesWithARangeRequestAndTheFilesLoadAsTheDataset() throws Exception {
    byte[] archive = scifactZip();
    files.put("/scifact.zip", archive);
    cutOnce.add("/scifact.zip");
    String[] digests = digests(archive);
    Path root = tmp.resolve("data");

    var result = fetcher.fetch(scifact(digests[0], digests[1]), root);

    assertEquals(2, requests.size(), requests.toString());
    assertEquals("/scifact.zip -", requests.get(0));
    assertEquals("/scifact.zip bytes=" + archive.length / 2 + "-", requests.get(1), "resumed where the cut left it");
    assertTrue(log.toString().contains("resuming (attempt 2 of 3)"), log.toString());
    assertEquals(DataSource.named("scifact").orElseThrow().files(), result.written());
    assertEquals(List.of(), result.unverified());
    var summary = Dataset.named("scifact", root).validate();
    assertEquals(200, summary.documents());
    assertEquals(1, summary.splits().get("test").judgments());
    assertFalse(Files.exists(root.resolve(Fetcher.STAGING)), "downloads are removed once converted");

    requests.clear();
    assertEquals(List.of(), fetcher.fetch(scifact(digests[0], digests[1]), root).written());
    assertEquals(List.of(), requests, "nothing is downloaded when every file is present");
  }

  @Test
  @Timeout(30)
  void aConnectionThatStallsMidBodyIsDroppedAfterTheStallTimeoutAndTheDownloadResumes() throws Exception {
    byte[] archive = scifactZip();
    files.put("/scifact.zip", archive);
    stallOnce.add("/scifact.zip");
    String[] digests = digests(archive);
    Path root = tmp.resolve("data");

    long start = System.nanoTime();
    var result = fetcher(Duration.ofMillis(300)).fetch(scifact(digests[0], digests[1]), root);
    double seconds = (System.nanoTime() - start) / 1e9;

    assertEquals(List.of("/scifact.zip -", "/scifact.zip bytes=" + archive.length / 2 + "-"), requests,
        "resumed where the stall left it");
    assertTrue(log.toString().contains("download scifact.zip: read stalled, no data for 0.3 s; resuming (attempt 2"
        + " of 3)"), log.toString());
    assertTrue(seconds >= 0.3 && seconds < 10, "dropped after the 0.3 s stall timeout, not the server's 10 s: "
        + seconds + " s");
    assertEquals(DataSource.named("scifact").orElseThrow().files(), result.written());
    assertEquals(200, Dataset.named("scifact", root).validate().documents());
  }

  @Test
  @Timeout(30)
  void aDownloadThatStallsAtEveryAttemptFailsNamingTheUrlAndKeepsWhatItGot() throws Exception {
    byte[] archive = scifactZip();
    files.put("/scifact.zip", archive);
    stallAlways.add("/scifact.zip");
    Path root = tmp.resolve("data");

    IOException e = assertThrows(IOException.class,
        () -> fetcher(Duration.ofMillis(200)).fetch(scifact(digests(archive)[0], null), root));

    int n = archive.length;
    int first = n / 2;
    int second = first + (n - first) / 2;
    int third = second + (n - second) / 2;
    assertEquals(List.of("/scifact.zip -", "/scifact.zip bytes=" + first + "-", "/scifact.zip bytes=" + second + "-"),
        requests, "three attempts, each resuming where the last stalled");
    Path part = root.resolve(Fetcher.STAGING).resolve("scifact").resolve("scifact.zip.part");
    assertEquals("download of " + url("/scifact.zip") + " failed after 3 attempts (read stalled, no data for 0.2 s);"
        + " rerun the same command to resume from the " + third + " bytes kept in " + part.toAbsolutePath(),
        e.getMessage());
    assertEquals(third, Files.size(part));
    assertFalse(Files.exists(root.resolve("scifact")), "nothing is moved into the data root");
  }

  @Test
  void aDownloadThatNeverStartsFailsNamingTheUrlAndTheLastError() {
    Path root = tmp.resolve("data");
    IOException e = assertThrows(IOException.class, () -> fetcher.fetch(scifact(null, null), root));
    assertEquals("download of " + url("/scifact.zip") + " failed after 3 attempts (HTTP 404 for " + url("/scifact.zip")
        + "); rerun the same command to try again", e.getMessage());
    assertEquals(3, requests.size());
  }

  @Test
  void aPartFileLeftByAnEarlierRunIsResumed() throws Exception {
    byte[] archive = scifactZip();
    files.put("/scifact.zip", archive);
    Path root = tmp.resolve("data");
    Path part = root.resolve(Fetcher.STAGING).resolve("scifact").resolve("scifact.zip.part");
    Files.createDirectories(part.getParent());
    Files.write(part, java.util.Arrays.copyOf(archive, 1000));

    fetcher.fetch(scifact(digests(archive)[0], null), root);

    assertEquals(List.of("/scifact.zip bytes=1000-"), requests);
    assertTrue(Files.isRegularFile(root.resolve("scifact/corpus.jsonl")));
  }

  @Test
  void aWrongChecksumIsAClearErrorAndLeavesNothingBehind() throws Exception {
    byte[] archive = scifactZip();
    files.put("/scifact.zip", archive);
    Path root = tmp.resolve("data");
    Files.createDirectories(root);

    IOException e = assertThrows(IOException.class, () -> fetcher.fetch(scifact("0".repeat(64), null), root));

    assertTrue(e.getMessage().contains("has SHA-256 " + digests(archive)[0] + ", expected " + "0".repeat(64)),
        e.getMessage());
    assertTrue(e.getMessage().contains("nothing was written into the data root"), e.getMessage());
    try (Stream<Path> left = Files.list(root)) {
      assertEquals(List.of(), left.toList());
    }
    IOException md5 = assertThrows(IOException.class, () -> fetcher.fetch(scifact(null, "0".repeat(32)), root));
    assertTrue(md5.getMessage().contains("has MD5 " + digests(archive)[1]), md5.getMessage());
  }

  @Test
  void anArchiveEntryOutsideTheDataRootIsRefused() throws Exception {
    byte[] archive = zip(Map.of("../evil.txt", "x"));
    files.put("/scifact.zip", archive);
    Path root = tmp.resolve("data");
    IOException e = assertThrows(IOException.class, () -> fetcher.fetch(scifact(digests(archive)[0], null), root));
    assertTrue(e.getMessage().contains("an archive entry inside the data root, found '../evil.txt'"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("evil.txt")));
  }

  @Test
  void trecDlQrelsAreCopiedAndOnlyJudgedQueriesKeptAndUnverifiedDownloadsSaySo() throws Exception {
    DataSource real = DataSource.named("trec-dl").orElseThrow();
    String[] bodies = {"19 0 p1 3\n19 0 p2 0\n", "20 0 p3 2\n", "21 0 msmarco_passage_00_1 1\n",
        "19\tjudged 2019\n1900\tunjudged 2019\n", "20\tjudged 2020\n", "21\tjudged 2021\n2100\tunjudged\n"};
    List<DataSource.Download> downloads = new ArrayList<>();
    for (int i = 0; i < bodies.length; i++) {
      DataSource.Download d = real.downloads().get(i);
      byte[] body = bodies[i].getBytes(StandardCharsets.UTF_8);
      files.put("/" + d.fileName(), d.fileName().endsWith(".gz") ? gzip(body) : body);
      downloads.add(new DataSource.Download(url("/" + d.fileName()), d.fileName(), null, null, d.provenance()));
    }
    Path root = tmp.resolve("data");
    Files.createDirectories(root.resolve("msmarco-dl"));
    Files.writeString(root.resolve("msmarco-dl/queries.tsv"), "kept\tas it was\n");
    var source = new DataSource(real.name(), real.description(), downloads, real.conversion(), real.files(),
        real.bring());

    var result = fetcher.fetch(source, root);

    assertEquals("19 0 p1 3\n19 0 p2 0\n", Files.readString(root.resolve("msmarco-dl/qrels.dl19.txt")));
    assertEquals(List.of("msmarco-dl/queries.tsv"), result.kept(), "a file already there is kept");
    assertEquals("kept\tas it was\n", Files.readString(root.resolve("msmarco-dl/queries.tsv")));
    assertEquals(6, result.unverified().size());
    assertTrue(log.toString().contains("download 2019qrels-pass.txt: UNVERIFIED, no SHA-256 is pinned for it"),
        log.toString());
    assertTrue(log.toString().contains("its SHA-256 is " + digests(bodies[0].getBytes(StandardCharsets.UTF_8))[0]));

    Path fresh = tmp.resolve("fresh");
    fetcher.fetch(source, fresh);
    assertEquals("19\tjudged 2019\n20\tjudged 2020\n21\tjudged 2021\n",
        Files.readString(fresh.resolve("msmarco-dl/queries.tsv")), "only judged queries, in topic-file order");
  }

  @Test
  void squadIsConvertedIntoTheBeirLayoutOfItsDefinition() throws Exception {
    String train = "{\"data\": [{\"title\": \"Big_River\", \"paragraphs\": [{\"context\": \"The river is long.\","
        + " \"qas\": [{\"id\": \"a\", \"question\": \"How long is the river?\", \"answers\": [{\"text\": \"long\","
        + " \"answer_start\": 13}, {\"text\": \"long\", \"answer_start\": 13}]}]}]}]}";
    String dev = "{\"data\": [{\"title\": \"Hill\", \"paragraphs\": [{\"context\": \"The hill is high.\", \"qas\":"
        + " [{\"id\": \"b\", \"question\": \"How high?\", \"answers\": [{\"text\": \"high\", \"answer_start\": 12}]},"
        + " {\"id\": \"c\", \"question\": \"What is high?\", \"answers\": [{\"text\": \"The hill\", \"answer_start\": 0}]}]}]}]}";
    files.put("/train-v1.1.json", train.getBytes(StandardCharsets.UTF_8));
    files.put("/dev-v1.1.json", dev.getBytes(StandardCharsets.UTF_8));
    DataSource real = DataSource.named("squad").orElseThrow();
    List<DataSource.Download> downloads = real.downloads().stream().map(d -> new DataSource.Download(
        url("/" + d.fileName()), d.fileName(), null, null, "fixture")).toList();
    Path root = tmp.resolve("data");

    fetcher.fetch(new DataSource(real.name(), real.description(), downloads, real.conversion(), real.files(), ""), root);

    assertEquals("{\"_id\":\"sq-train-0-0\",\"title\":\"Big River\",\"text\":\"The river is long.\"}",
        Files.readAllLines(root.resolve("squad/corpus.jsonl")).get(0));
    assertEquals("{\"_id\":\"sq-train-0-0-q0\",\"text\":\"How long is the river?\",\"metadata\":{\"answers\":[\"long\"],"
        + "\"article\":\"Big River\"}}", Files.readAllLines(root.resolve("squad/queries.jsonl")).get(0));
    assertEquals("query-id\tcorpus-id\tscore\nsq-dev-0-0-q0\tsq-dev-0-0\t1\nsq-dev-0-0-q1\tsq-dev-0-0\t1\n",
        Files.readString(root.resolve("squad/qrels/test.tsv")));
    // the definition's held-out list names real SQuAD train questions, which this one-article fixture lacks
    Path definition = tmp.resolve("squad.yaml");
    Files.writeString(definition, Files.readString(Path.of("datasets/squad.yaml")).replaceAll("(?m)^\\s*heldOut:.*\n", ""));
    var summary = Dataset.load(definition, root).validate();
    assertEquals(2, summary.documents());
    assertEquals(3, summary.queries());
  }

  /**
   * QED's two record formats (the 2020 train shards: no original_nq_answers; dev: nested answer spans), a
   * paragraph shared within train and one shared across the splits, a blank line, a control character and
   * non-ASCII text; the expected lines are written out by hand.
   */
  @Test
  void nqIsConvertedFromQedRecordsIntoTheLayoutOfItsDefinition() throws Exception {
    String[] shards = {
        "{\"example_id\": 11, \"paragraph_text\": \"Para A text .\", \"question_text\": \"q one\", \"title_text\":"
            + " \"Title A\", \"answer_spans\": [[0, 4]], \"answer_text\": [\"Para\"], \"annotation\": [],"
            + " \"sentence_starts\": [0], \"answer_type\": \"single_sentence\"}\n"
            + "{\"example_id\": -22, \"paragraph_text\": \"Para B \\u00e9t\\u00e9 .\", \"question_text\": \"q two\","
            + " \"title_text\": \"Title B\", \"answer_text\": [\"B\"], \"annotation\": []}\n\n",
        "{\"example_id\": 33, \"paragraph_text\": \"Para A text .\", \"question_text\": \"q three\", \"title_text\":"
            + " \"Title A\"}\n",
        "", "", "", ""};
    String dev = "{\"example_id\": -44, \"title_text\": \"Title \\u001f C\", \"url\": \"https://en.wikipedia.org/x\","
        + " \"question_text\": \"q four\", \"paragraph_text\": \"Para C \\\"quoted\\\" and\\ttab .\", \"sentence_starts\":"
        + " [0], \"original_nq_answers\": [[{\"start\": 0, \"end\": 4, \"string\": \"Para\"}], [{\"start\": 5,"
        + " \"end\": 6, \"string\": \"C\"}, {\"start\": 21, \"end\": 24, \"string\": \"and\"}], [{\"start\": 0, \"end\": 4,"
        + " \"string\": \"Para\"}]], \"annotation\": {\"explanation_type\": \"none\"}}\n"
        + "{\"example_id\": 55, \"title_text\": \"Title B\", \"question_text\": \"q five\", \"paragraph_text\": \"Para B"
        + " \\u00e9t\\u00e9 .\", \"original_nq_answers\": [[{\"start\": 7, \"end\": 10, \"string\": \"\\u00e9t\\u00e9\"}]],"
        + " \"annotation\": {\"explanation_type\": \"single_sentence\"}}\n";
    DataSource real = DataSource.named("nq").orElseThrow();
    assertEquals(7, real.downloads().size());
    List<DataSource.Download> downloads = new ArrayList<>();
    for (int i = 0; i < real.downloads().size(); i++) {
      DataSource.Download d = real.downloads().get(i);
      files.put("/" + d.fileName(), (i < shards.length ? shards[i] : dev).getBytes(StandardCharsets.UTF_8));
      downloads.add(new DataSource.Download(url("/" + d.fileName()), d.fileName(), null, null, "fixture"));
    }
    Path root = tmp.resolve("data");

    var result = fetcher.fetch(new DataSource(real.name(), real.description(), downloads, real.conversion(),
        real.files(), ""), root);

    assertEquals(real.files(), result.written());
    assertEquals(7, result.unverified().size());
    assertEquals("""
        {"_id": "nq-train-p0", "title": "Title A", "text": "Para A text ."}
        {"_id": "nq-train-p1", "title": "Title B", "text": "Para B \u00e9t\u00e9 ."}
        {"_id": "nq-dev-p2", "title": "Title \\u001f C", "text": "Para C \\"quoted\\" and\\ttab ."}
        """, Files.readString(root.resolve("nq/corpus.jsonl")));
    assertEquals("""
        {"_id": "nq-11", "text": "q one", "metadata": {"answers": []}}
        {"_id": "nq--22", "text": "q two", "metadata": {"answers": []}}
        {"_id": "nq-33", "text": "q three", "metadata": {"answers": []}}
        {"_id": "nq--44", "text": "q four", "metadata": {"answers": ["Para", "C", "and", "Para"]}}
        {"_id": "nq-55", "text": "q five", "metadata": {"answers": ["\u00e9t\u00e9"]}}
        """, Files.readString(root.resolve("nq/queries.jsonl")));
    assertEquals("query-id\tcorpus-id\tscore\nnq-11\tnq-train-p0\t1\nnq--22\tnq-train-p1\t1\nnq-33\tnq-train-p0\t1\n",
        Files.readString(root.resolve("nq/qrels/train.tsv")));
    assertEquals("query-id\tcorpus-id\tscore\nnq--44\tnq-dev-p2\t1\nnq-55\tnq-train-p1\t1\n",
        Files.readString(root.resolve("nq/qrels/test.tsv")));
    // the definition's held-out list names real NQ train questions, which this fixture lacks
    Path definition = tmp.resolve("nq.yaml");
    Files.writeString(definition, Files.readString(Path.of("datasets/nq.yaml")).replaceAll("(?m)^\\s*heldOut:.*\n", ""));
    var summary = Dataset.load(definition, root).validate();
    assertEquals(3, summary.documents());
    assertEquals(5, summary.queries());
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(body);
    }
    return bytes.toByteArray();
  }

  private String[] digests(byte[] body) throws IOException {
    Path f = Files.createTempFile(tmp, "digest", ".bin");
    Files.write(f, body);
    return Fetcher.digests(f);
  }
}
