package io.dualrank.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The search service over HTTP, on the JDK's built-in server. All endpoints answer GET only:
 * <ul>
 *   <li>{@code /search?q=TEXT&k=K&rerank=DEPTH} → {@link SearchService.Response} as JSON (snake_case:
 *       {@code query, k, rerank_depth, took_ms, results[], reranked[]}; each result {@code rank, docid,
 *       score, title, snippet}, re-ranked ones also {@code de_rank}). {@code k}: 1..{@value #MAX_K}, default
 *       {@value #DEFAULT_K}; {@code rerank}: 0..{@value #MAX_DEPTH}, default the server's depth (0, and only
 *       0, without a CA); {@code q}: 1..{@value #MAX_QUERY_CHARS} characters, not blank.
 *   <li>{@code /health} → {@link SearchService.Health} as JSON.
 *   <li>{@code /} → a self-contained HTML page that searches and shows DE and CA results side by side.
 * </ul>
 * Errors are JSON {@code {"status": code, "error": message}}: 400 for a bad parameter, 404 for an unknown
 * path, 405 for a method other than GET, 500 when searching fails (e.g. the encoder throws; the server
 * goes on serving). Only a request URI the JDK cannot parse (e.g. a malformed %-escape) gets the JDK
 * server's own plain 400.
 *
 * <p>Requests run on a fixed pool of threads with a bounded queue; when the queue is full the server's
 * accepting thread runs the request itself and accepts no new connection meanwhile (back-pressure rather
 * than unbounded memory).
 */
public final class SearchServer implements AutoCloseable {
  static final int DEFAULT_K = 10;
  static final int MAX_K = 1000;
  static final int MAX_DEPTH = 1000;
  static final int MAX_QUERY_CHARS = 1000;
  private static final String NODELAY = "sun.net.httpserver.nodelay";

  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private final SearchService service;
  private final HttpServer server;
  private final ThreadPoolExecutor pool;
  private final byte[] page;
  private final PrintStream log;

  /** A request the server refuses, with its HTTP status. */
  private static final class HttpError extends RuntimeException {
    final int status;

    HttpError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private SearchServer(SearchService service, HttpServer server, ThreadPoolExecutor pool, PrintStream log)
      throws IOException {
    this.service = service;
    this.server = server;
    this.pool = pool;
    this.log = log;
    try (InputStream in = SearchServer.class.getResourceAsStream("search.html")) {
      this.page = in.readAllBytes();
    }
  }

  /**
   * Starts serving on {@code host:port} (port 0: any free port, see {@link #port()}).
   *
   * @param threads request threads
   * @param queueCapacity requests that may wait for a thread
   * @param log where failed searches are reported
   */
  public static SearchServer start(SearchService service, String host, int port, int threads, int queueCapacity,
      PrintStream log) throws IOException {
    // The JDK server sends headers and body in separate writes; with Nagle's algorithm on, the body then waits
    // for the client's delayed ACK of the headers, adding ~40 ms to every response. The property is read once,
    // when the first server is created.
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queueCapacity), r -> {
          Thread t = new Thread(r, "search-http-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
    SearchServer server = new SearchServer(service, http, pool, log);
    http.createContext("/", server::handle);
    http.setExecutor(pool);
    http.start();
    return server;
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      int status = 200;
      Object body;
      try {
        body = route(exchange);
      } catch (HttpError e) {
        status = e.status;
        body = error(e.status, e.getMessage());
      } catch (RuntimeException e) {
        status = 500;
        body = error(500, "search failed: " + e);
        log.println("dualrank serve: " + exchange.getRequestURI() + ": " + e);
      }
      if (body instanceof byte[] html) {
        send(exchange, status, "text/html; charset=utf-8", html);
      } else {
        send(exchange, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
      }
    } catch (IOException e) {
      log.println("dualrank serve: " + exchange.getRequestURI() + ": cannot respond: " + e);
    }
  }

  /** The response body of a request: the page's bytes, or an object to send as JSON. */
  private Object route(HttpExchange exchange) {
    String path = exchange.getRequestURI().getPath();
    if (!path.equals("/") && !path.equals("/search") && !path.equals("/health")) {
      throw new HttpError(404, "no such endpoint: " + path + " (try /search?q=..., /health or /)");
    }
    if (!exchange.getRequestMethod().equals("GET")) {
      exchange.getResponseHeaders().set("Allow", "GET");
      throw new HttpError(405, "method " + exchange.getRequestMethod() + " not allowed; use GET");
    }
    return switch (path) {
      case "/" -> page;
      case "/health" -> service.health();
      default -> search(parameters(exchange.getRequestURI().getRawQuery()));
    };
  }

  private SearchService.Response search(Map<String, String> params) {
    String q = params.get("q");
    if (q == null || q.isBlank()) {
      throw new HttpError(400, "missing query: give a non-empty q parameter");
    }
    if (q.length() > MAX_QUERY_CHARS) {
      throw new HttpError(400, "query too long: " + q.length() + " characters, at most " + MAX_QUERY_CHARS);
    }
    int k = intParameter(params, "k", DEFAULT_K, 1, MAX_K);
    int depth = intParameter(params, "rerank", service.defaultDepth(), 0, MAX_DEPTH);
    if (depth > 0 && !service.canRerank()) {
      throw new HttpError(400, "rerank=" + depth + " but this server has no cross-encoder (start it with --rerank)");
    }
    return service.search(q, k, depth);
  }

  private static int intParameter(Map<String, String> params, String name, int absent, int min, int max) {
    String value = params.get(name);
    if (value == null) {
      return absent;
    }
    try {
      int v = Integer.parseInt(value.strip());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new HttpError(400, name + " must be an integer in " + min + ".." + max + ", got '" + value + "'");
  }

  /**
   * The decoded parameters of a raw query string; a repeated name keeps its first value. (Escapes are
   * well-formed here: the JDK server answers a malformed request URI with its own 400.)
   */
  static Map<String, String> parameters(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.putIfAbsent(name, value);
    }
    return params;
  }

  private static Map<String, Object> error(int status, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("status", status);
    error.put("error", message);
    return error;
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Stops accepting requests, lets running ones finish (up to a second), and stops the threads. */
  @Override
  public void close() {
    server.stop(1);
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
