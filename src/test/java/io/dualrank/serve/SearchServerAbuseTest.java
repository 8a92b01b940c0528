package io.dualrank.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualrank.data.Document;
import io.dualrank.index.VectorIndex;
import io.dualrank.model.EncoderRanker;
import io.dualrank.model.HashingEncoder;
import io.dualrank.model.Ranker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service against clients that misbehave, on a real server on 127.0.0.1: clients that hang up early,
 * send their headers slowly or not at all, send oversized requests, use HEAD, or name another host. Every
 * wait is bounded by socket timeouts and bounded loops.
 */
class SearchServerAbuseTest {
  private static final int SOCKET_TIMEOUT_MS = 10_000;
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);

  @TempDir static Path tmp;
  private static VectorIndex index;
  private static SearchServer server;

  @BeforeAll
  static void start() throws IOException {
    index = VectorIndex.open(TestIndex.build(tmp.resolve("idx")), 100);
    SearchService service = new SearchService(index, TestIndex.NAMES, TestIndex.ENCODER, new EncoderRanker(new HashingEncoder(1024)), 20);
    server = SearchServer.start(service, SearchServer.Config.loopback(2).withIdleTimeout(IDLE_TIMEOUT), new PrintStream(OutputStream.nullOutputStream()));
  }

  @AfterAll
  static void stop() {
    server.close();
    index.close();
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), SOCKET_TIMEOUT_MS);
    socket.setSoTimeout(SOCKET_TIMEOUT_MS);
    return socket;
  }

  /** The whole response (headers and body) to raw request bytes, read until the server closes. */
  private static String exchange(String request) throws IOException {
    return exchange(server, request);
  }

  private static String exchange(SearchServer to, String request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", to.port()), SOCKET_TIMEOUT_MS);
      socket.setSoTimeout(SOCKET_TIMEOUT_MS);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static String get(String target, String host) throws IOException {
    return exchange("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
  }

  private static int status(String response) {
    assertTrue(response.startsWith("HTTP/1.1 "), response);
    return Integer.parseInt(response.substring(9, 12));
  }

  private static String body(String response) {
    int end = response.indexOf("\r\n\r\n");
    assertTrue(end >= 0, response);
    return response.substring(end + 4);
  }

  private static long openFileDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  @Test
  void clientsThatHangUpEarlyLeaveNoOpenSockets() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "skipped: no /proc/self/fd on this system");
    assertEquals(200, status(get("/health", "127.0.0.1")));
    long before = openFileDescriptors();
    int aborted = 300;
    for (int i = 0; i < aborted; i++) {
      try (Socket socket = connect()) {
        String request = "GET /search?q=cat" + i + "&rerank=20 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        // Half hang up after the whole request, half in the middle of the headers.
        socket.getOutputStream().write(request.substring(0, i % 2 == 0 ? request.length() : 30)
            .getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    long after = openFileDescriptors();
    for (int i = 0; i < 100 && after > before + 20; i++) { // at most 10 s for the server to notice
      Thread.sleep(100);
      after = openFileDescriptors();
    }
    assertTrue(after <= before + 20, aborted + " aborted requests: " + before + " open descriptors before, " + after + " after");
    assertEquals(200, status(get("/health", "127.0.0.1")));
  }

  @Test
  void slowHeaderClientsDoNotBlockHealth() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 12; i++) { // more than the server's 2 threads (the old server's pool queue was 8)
        Socket socket = connect();
        slow.add(socket);
        socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
            .getBytes(StandardCharsets.ISO_8859_1));
      }
      for (int round = 0; round < 3; round++) { // they go on trickling a byte at a time
        for (Socket socket : slow) {
          socket.getOutputStream().write('a');
        }
        Thread.sleep(200);
      }
      long start = System.nanoTime();
      String response;
      try (Socket socket = connect()) {
        socket.setSoTimeout(5_000); // the bound: /health answers within 5 s while they trickle
        socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1));
        response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("/health did not answer within 5 s while 12 clients sent their headers slowly", e);
      }
      assertEquals(200, status(response), "after " + (System.nanoTime() - start) / 1_000_000 + " ms");
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  @Test
  void aClientThatStopsSendingIsDisconnectedAfterTheIdleTimeout() throws Exception {
    try (Socket socket = connect()) {
      socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: "
          .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      try {
        in.readAllBytes(); // whatever the server answers (a 408, or nothing), it must then close
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server kept a stalled request open for " + SOCKET_TIMEOUT_MS + " ms", e);
      }
    }
  }

  @Test
  void atTheConnectionLimitANewClientWaitsForAnIdleConnectionToClose() throws Exception {
    SearchService service = new SearchService(index, TestIndex.NAMES, TestIndex.ENCODER, null, 0);
    SearchServer.Config config = new SearchServer.Config("127.0.0.1", 0, 2, 4, IDLE_TIMEOUT, List.of());
    List<Socket> silent = new ArrayList<>();
    try (SearchServer limited = SearchServer.start(service, config, System.err)) {
      for (int i = 0; i < 4; i++) { // the limit: 4 connections that send nothing
        Socket socket = new Socket("127.0.0.1", limited.port());
        silent.add(socket);
      }
      assertEquals(200, status(exchange(limited, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")),
          "a fifth client is answered once an idle connection is closed");
      // The fifth was accepted only after the server had closed a silent one (its FIN is already here).
      int closed = 0;
      for (Socket socket : silent) {
        socket.setSoTimeout(200);
        try {
          closed += socket.getInputStream().read() == -1 ? 1 : 0;
        } catch (SocketTimeoutException e) {
          // still open
        }
      }
      assertTrue(closed >= 1, "the fifth client was served while all 4 silent connections were open");
    } finally {
      for (Socket socket : silent) {
        socket.close();
      }
    }
  }

  @Test
  void anOversizedUriIs414AndOversizedHeadersAre431() throws Exception {
    assertEquals(414, status(get("/search?q=" + "x".repeat(20_000), "127.0.0.1")));
    assertEquals(431, status(exchange("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "y".repeat(20_000)
        + "\r\nConnection: close\r\n\r\n")));
    // A 1000-character query of 3-byte characters, percent-encoded (9,000 bytes), is within the limits.
    assertEquals(200, status(get("/search?q=" + "%E6%96%87".repeat(1000), "127.0.0.1")));
    assertEquals(200, status(get("/health", "127.0.0.1")));
  }

  @Test
  void headIsAnsweredLikeGetWithoutABody() throws Exception {
    for (String target : List.of("/", "/health", "/search?q=cat")) {
      String get = get(target, "127.0.0.1");
      String head = exchange("HEAD " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      assertEquals(200, status(head), target);
      assertEquals("", body(head), target + ": no body");
      assertTrue(head.contains("Content-Type: " + contentType(get)), target + ": " + head);
    }
  }

  private static String contentType(String response) {
    for (String line : response.substring(0, response.indexOf("\r\n\r\n")).split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Type: ", 0, 14)) {
        return line.substring(14);
      }
    }
    throw new AssertionError("no Content-Type in " + response);
  }

  @Test
  void onlyAllowedHostNamesAreServed() throws Exception {
    int port = server.port();
    for (String host : List.of("127.0.0.1", "127.0.0.1:" + port, "localhost", "localhost:" + port, "[::1]:" + port)) {
      assertEquals(200, status(get("/health", host)), host);
    }
    for (String host : List.of("evil.example", "evil.example:" + port, "127.0.0.1.evil.example", "localhost.evil")) {
      String response = get("/health", host);
      assertEquals(421, status(response), host);
      assertTrue(body(response).contains("--allowed-host"), response);
      assertFalse(body(response).contains("\"ok\""), response);
    }
  }

  @Test
  void extraAllowedHostsAreServed() throws Exception {
    SearchService service = new SearchService(index, TestIndex.NAMES, TestIndex.ENCODER, null, 0);
    try (SearchServer other = SearchServer.start(service,
        SearchServer.Config.loopback(1).withExtraHosts(List.of("Search.Example")), System.err)) {
      for (String host : List.of("search.example", "SEARCH.example:80", "localhost")) {
        assertEquals(200, status(exchange(other, "GET /health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")), host);
      }
      assertEquals(421, status(exchange(other, "GET /health HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")));
    }
  }

  /** A ranker that blocks its first call until released, and counts the queries it scores. */
  private static final class GatedRanker implements Ranker {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<String> scored = new CopyOnWriteArrayList<>();
    private final Ranker inner = new EncoderRanker(new HashingEncoder(64));

    @Override
    public float[] score(String query, List<Document> documents) {
      scored.add(query);
      entered.countDown();
      try {
        assertTrue(release.await(SOCKET_TIMEOUT_MS, TimeUnit.MILLISECONDS), "never released");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return inner.score(query, documents);
    }

    @Override
    public void close() {}
  }

  @Test
  void searchesWhoseClientHungUpAreNotReRanked() throws Exception {
    GatedRanker ranker = new GatedRanker();
    SearchService service = new SearchService(index, TestIndex.NAMES, TestIndex.ENCODER, ranker, 5);
    // One request thread: requests are handled in the order they arrive.
    try (SearchServer gated = SearchServer.start(service, SearchServer.Config.loopback(1), System.err);
        Socket first = new Socket("127.0.0.1", gated.port())) {
      first.setSoTimeout(SOCKET_TIMEOUT_MS);
      first.getOutputStream().write("GET /search?q=first HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      assertTrue(ranker.entered.await(SOCKET_TIMEOUT_MS, TimeUnit.MILLISECONDS), "the first search never reached the ranker");
      for (int i = 0; i < 5; i++) { // queued behind the first, then hung up on
        try (Socket socket = new Socket("127.0.0.1", gated.port())) {
          socket.getOutputStream().write(("GET /search?q=gone" + i + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
        }
      }
      ranker.release.countDown();
      assertEquals(200, status(new String(first.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)));
      // Handled after the five: a search whose client waits for its answer.
      String last = exchange(gated, "GET /search?q=last HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      assertEquals(200, status(last));
      assertEquals(List.of("first", "last"), ranker.scored);
    }
  }
}
