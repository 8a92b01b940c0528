package io.dualrank.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The search service over HTTP, on Jetty (core handlers, no servlets). Endpoints answer GET, and HEAD as GET
 * without the body:
 * <ul>
 *   <li>{@code /search?q=TEXT&k=K&rerank=DEPTH} → {@link SearchService.Response} as JSON (snake_case:
 *       {@code query, k, rerank_depth, took_ms, results[], reranked[]}; each result {@code rank, docid,
 *       score, title, snippet}, re-ranked ones also {@code de_rank}). {@code k}: 1..{@value #MAX_K}, default
 *       {@value #DEFAULT_K}; {@code rerank}: 0..{@value #MAX_DEPTH}, default the server's depth (0, and only
 *       0, without a CA); {@code q}: 1..{@value #MAX_QUERY_CHARS} characters, not blank.
 *   <li>{@code /health} → {@link SearchService.Health} as JSON (names, never filesystem paths).
 *   <li>{@code /} → a self-contained HTML page that searches and shows DE and CA results side by side; it
 *       keeps the query and its settings in its URL ({@code /?q=…&k=…&rerank=…}).
 * </ul>
 * Every error is JSON {@code {"status": code, "error": message}}: 400 for a bad parameter or request, 404
 * for an unknown path, 405 for a method other than GET/HEAD, 414 for a request line and 431 for headers over
 * {@value #MAX_REQUEST_HEADER_BYTES} bytes, 421 for a Host header the server does not serve, 500 when
 * searching fails (the server goes on serving). A connection whose request stalls is closed without an answer.
 *
 * <p>What protects it from clients (Jetty's, but for the Host check and the hung-up check): requests are parsed by non-blocking selectors, so a slow
 * or stalled client holds a connection but no thread, and is closed after {@link Config#idleTimeout()}
 * without a byte (after a second when the server is at its connection limit); at most
 * {@link Config#maxConnections()} connections are open (more wait in the kernel's accept backlog); requests
 * run on {@link Config#threads()} threads, and wait for one in a queue that the connection limit bounds (an
 * HTTP/1.1 connection has one request in progress). The Host header must name an allowed host
 * ({@link Config#allowedHosts()}): a web page on another site whose name was re-bound to 127.0.0.1 (DNS
 * rebinding) sends its own name, and gets 421 Misdirected Request. A search whose client has hung up is not
 * re-ranked (see {@link #clientGone}).
 */
public final class SearchServer implements AutoCloseable {
  static final int DEFAULT_K = 10;
  static final int MAX_K = 1000;
  static final int MAX_DEPTH = 1000;
  static final int MAX_QUERY_CHARS = 1000;
  /** Request line and headers: room for a 1,000-character query of 3-byte characters, %-encoded (9,000 bytes). */
  static final int MAX_REQUEST_HEADER_BYTES = 16 * 1024;
  /** Idle timeout of connections while the server is at its connection limit. */
  private static final long AT_LIMIT_IDLE_TIMEOUT_MS = 1_000;
  /** Jetty threads besides the request threads: one acceptor and one selector. */
  private static final int ACCEPTORS = 1;
  private static final int SELECTORS = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  /**
   * How a server listens and what it tolerates.
   *
   * @param host the address to bind (127.0.0.1 for this machine only)
   * @param port the port (0: any free port, see {@link #port()})
   * @param threads request threads
   * @param maxConnections open connections at most
   * @param idleTimeout how long a connection may send nothing (also while sending its request)
   * @param extraHosts host names served besides loopback's and the bound address
   */
  public record Config(String host, int port, int threads, int maxConnections, Duration idleTimeout,
      List<String> extraHosts) {
    public Config {
      if (threads < 1 || maxConnections < 1 || idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("threads, connections and idle timeout must be positive");
      }
      extraHosts = List.copyOf(extraHosts);
    }

    /** A server on 127.0.0.1, any free port, with the command's defaults otherwise. */
    public static Config loopback(int threads) {
      return new Config("127.0.0.1", 0, threads, 256, Duration.ofSeconds(20), List.of());
    }

    public Config withIdleTimeout(Duration timeout) {
      return new Config(host, port, threads, maxConnections, timeout, extraHosts);
    }

    public Config withExtraHosts(List<String> hosts) {
      return new Config(host, port, threads, maxConnections, idleTimeout, hosts);
    }

    /**
     * The host names a request's Host header may give (lower case, IPv6 without brackets, port ignored):
     * {@code localhost}, {@code 127.0.0.1}, {@code ::1}, the bound address unless it is a wildcard, and the
     * extra hosts.
     */
    public Set<String> allowedHosts() {
      Set<String> hosts = new TreeSet<>(List.of("localhost", "127.0.0.1", "::1"));
      if (!host.equals("0.0.0.0") && !host.equals("::") && !host.equals("[::]")) {
        hosts.add(hostName(host));
      }
      extraHosts.forEach(h -> hosts.add(hostName(h)));
      return hosts;
    }
  }

  private final SearchService service;
  private final Server server;
  private final ServerConnector connector;
  private final Set<String> allowedHosts;
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

  private SearchServer(SearchService service, Config config, PrintStream log) {
    this.service = service;
    this.allowedHosts = config.allowedHosts();
    this.log = log;
    try (InputStream in = SearchServer.class.getResourceAsStream("search.html")) {
      this.page = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Unbounded queue, as Jetty requires (a rejected task drops its connection); it holds at most one task per
    // connection, so the connection limit bounds it.
    int jettyThreads = config.threads() + ACCEPTORS + SELECTORS;
    QueuedThreadPool pool = new QueuedThreadPool(jettyThreads, jettyThreads);
    pool.setName("search-http");
    pool.setDaemon(true);
    pool.setReservedThreads(0);
    this.server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    this.connector = new ServerConnector(server, ACCEPTORS, SELECTORS, new HttpConnectionFactory(http));
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setIdleTimeout(config.idleTimeout().toMillis());
    server.addConnector(connector);
    NetworkConnectionLimit limit = new NetworkConnectionLimit(config.maxConnections(), server);
    limit.setEndPointIdleTimeout(AT_LIMIT_IDLE_TIMEOUT_MS);
    server.addBean(limit);
    server.setErrorHandler(new JsonErrors());
    server.setHandler(new Routes());
    server.setStopTimeout(1_000);
  }

  /**
   * Starts serving.
   *
   * @param log where failed searches are reported
   * @throws IOException when the address cannot be bound
   */
  public static SearchServer start(SearchService service, Config config, PrintStream log) throws IOException {
    SearchServer server = new SearchServer(service, config, log);
    try {
      server.server.start();
    } catch (IOException e) {
      server.close();
      throw e;
    } catch (Exception e) {
      server.close();
      throw new IOException("cannot start the server on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
    return server;
  }

  /** The port the server listens on. */
  public int port() {
    return connector.getLocalPort();
  }

  /** The handler of every request: the body is the page's bytes or an object sent as JSON. */
  private final class Routes extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      int status = 200;
      Object body;
      try {
        body = route(request, response);
      } catch (SearchService.ClientGone e) { // nothing to send, and no one to send it to
        request.getConnectionMetaData().getConnection().getEndPoint().close();
        callback.succeeded();
        return true;
      } catch (HttpError e) {
        status = e.status;
        body = error(e.status, e.getMessage());
      } catch (RuntimeException e) {
        status = 500;
        body = error(500, "search failed: " + e);
        log.println("dualrank serve: " + request.getHttpURI().getPathQuery() + ": " + e);
      }
      if (body instanceof byte[] html) {
        send(response, status, "text/html; charset=utf-8", html, callback);
      } else {
        send(response, status, "application/json; charset=utf-8", json(body), callback);
      }
      return true;
    }
  }

  /** Jetty's own refusals (malformed, oversized or timed-out requests) in the service's JSON form. */
  private static final class JsonErrors extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
        Callback callback) {
      String reason = message != null ? message : HttpStatus.getMessage(code);
      send(response, code, "application/json; charset=utf-8", json(error(code, reason)), callback);
    }
  }

  private Object route(Request request, Response response) {
    String host = hostName(Request.getServerName(request));
    if (!allowedHosts.contains(host)) {
      throw new HttpError(421, "this server does not serve host '" + host + "' (it serves " + allowedHosts
          + "; start it with --allowed-host " + host + " to add it)");
    }
    String path = request.getHttpURI().getDecodedPath();
    if (!path.equals("/") && !path.equals("/search") && !path.equals("/health")) {
      throw new HttpError(404, "no such endpoint: " + path + " (try /search?q=..., /health or /)");
    }
    String method = request.getMethod();
    if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      throw new HttpError(405, "method " + method + " not allowed; use GET or HEAD");
    }
    return switch (path) {
      case "/" -> page;
      case "/health" -> service.health();
      default -> search(parameters(request.getHttpURI().getQuery()), () -> clientGone(request, response));
    };
  }

  private SearchService.Response search(Map<String, String> params, BooleanSupplier clientGone) {
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
    return service.search(q, k, depth, clientGone);
  }

  /**
   * Whether the client of a request in progress has closed its connection. Jetty does not read an HTTP/1.1
   * connection while its request is handled (a client's close is noticed only on the next read or write,
   * and {@link Request#addFailureListener} is not called for it), so this reads the connection once,
   * without blocking: end of stream or a reset means the client is gone. A client that has already sent
   * its next request (pipelining) loses those bytes: its connection is then closed after this response,
   * and HTTP clients resend unanswered pipelined requests on a new connection.
   */
  private static boolean clientGone(Request request, Response response) {
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    if (!endPoint.isOpen()) {
      return true;
    }
    try {
      int read = endPoint.fill(BufferUtil.allocate(1));
      if (read > 0) {
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      }
      return read < 0;
    } catch (IOException e) {
      return true;
    }
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

  /** The decoded parameters of a raw query string; a repeated name keeps its first value. */
  static Map<String, String> parameters(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    try {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        params.putIfAbsent(name, value);
      }
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "malformed query string: a % must be followed by two hexadecimal digits");
    }
    return params;
  }

  /** A host name as compared with the allowed ones: lower case, an IPv6 address without its brackets. */
  static String hostName(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  private static Map<String, Object> error(int status, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("status", status);
    error.put("error", message);
    return error;
  }

  private static byte[] json(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends a whole response; for HEAD, Jetty sends the headers (Content-Length included) and drops the body. */
  private static void send(Response response, int status, String contentType, byte[] body, Callback callback) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** Stops accepting requests, lets running ones finish (up to a second), and stops the threads. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      log.println("dualrank serve: stopping: " + e.getMessage());
    }
  }
}
