package io.dualrank.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualrank.data.Document;
import io.dualrank.data.ScoredDoc;
import io.dualrank.index.ExactSearch;
import io.dualrank.index.VectorIndex;
import io.dualrank.model.DenseEncoder;
import io.dualrank.model.EncoderRanker;
import io.dualrank.model.HashingEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path tmp;
  private static VectorIndex index;
  private static SearchServer withCa;
  private static SearchServer withoutCa;
  private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();

  /** The hashing encoder, except that it fails on queries containing "boom". */
  private static final class FailingOnBoom implements DenseEncoder {
    @Override
    public int dimension() {
      return TestIndex.ENCODER.dimension();
    }

    @Override
    public boolean normalized() {
      return true;
    }

    @Override
    public float[][] encodeQueries(List<String> queries) {
      if (queries.stream().anyMatch(q -> q.contains("boom"))) {
        throw new IllegalStateException("encoder exploded");
      }
      return TestIndex.ENCODER.encodeQueries(queries);
    }

    @Override
    public float[][] encodeDocuments(List<Document> documents) {
      return TestIndex.ENCODER.encodeDocuments(documents);
    }

    @Override
    public void close() {}
  }

  @BeforeAll
  static void start() throws IOException {
    index = VectorIndex.open(TestIndex.build(tmp.resolve("idx")), 100);
    PrintStream log = new PrintStream(LOG, true, StandardCharsets.UTF_8);
    withCa = SearchServer.start(new SearchService(index, TestIndex.NAMES, new FailingOnBoom(),
        new EncoderRanker(new HashingEncoder(1024)), 20), SearchServer.Config.loopback(4), log);
    withoutCa = SearchServer.start(new SearchService(index, TestIndex.NAMES, TestIndex.ENCODER, null, 20), SearchServer.Config.loopback(2), log);
  }

  @AfterAll
  static void stop() {
    withCa.close();
    withoutCa.close();
    index.close();
  }

  private static HttpResponse<String> get(SearchServer server, String pathAndQuery) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The status line's start of a request sent as raw bytes (HttpClient refuses malformed URIs). */
  private static String rawRequestStatus(SearchServer server, String requestLine) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.getOutputStream().write((requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      return response.substring(0, Math.min(12, response.length()));
    }
  }

  private static JsonNode json(HttpResponse<String> response, int status) throws IOException {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    return JSON.readTree(response.body());
  }

  private static String q(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Test
  void searchReturnsTheDenseTopKAndTheCaRerankingOfTheTopDepth() throws Exception {
    JsonNode body = json(get(withCa, "/search?q=" + q("a cat that sleeps") + "&k=5&rerank=12"), 200);
    assertEquals("a cat that sleeps", body.get("query").asText());
    assertEquals(5, body.get("k").asInt());
    assertEquals(12, body.get("rerank_depth").asInt());
    assertTrue(body.get("took_ms").asDouble() >= 0);

    List<ScoredDoc> expected;
    try (ExactSearch exact = index.exactSearch(1)) {
      expected = exact.search(TestIndex.ENCODER.encode("a cat that sleeps"), 12);
    }
    JsonNode results = body.get("results");
    assertEquals(5, results.size());
    for (int i = 0; i < 5; i++) {
      JsonNode r = results.get(i);
      assertEquals(i + 1, r.get("rank").asInt());
      assertEquals(expected.get(i).docId(), r.get("docid").asText());
      assertEquals(expected.get(i).score(), r.get("score").asDouble(), 1e-5);
      Document doc = index.document(r.get("docid").asText());
      assertEquals(doc.title(), r.get("title").asText());
      assertTrue(doc.text().startsWith(r.get("snippet").asText().replace("…", "")));
      assertFalse(r.has("de_rank"));
    }
    assertEquals("doc0", results.get(0).get("docid").asText(), "\"The cat sleeps\" / \"A cat that sleeps ...\"");

    // The CA (hashing into 1024 buckets) scores the DE's top 12; its top 5 are shown with their DE ranks.
    JsonNode reranked = body.get("reranked");
    assertEquals(5, reranked.size());
    HashingEncoder ca = new HashingEncoder(1024);
    float[] query = ca.encode("a cat that sleeps");
    double previous = Double.POSITIVE_INFINITY;
    for (int i = 0; i < 5; i++) {
      JsonNode r = reranked.get(i);
      String id = r.get("docid").asText();
      int deRank = r.get("de_rank").asInt();
      assertTrue(deRank >= 1 && deRank <= 12);
      assertEquals(expected.get(deRank - 1).docId(), id);
      float[] doc = ca.encodeDocuments(List.of(index.document(id)))[0];
      assertEquals(org.apache.lucene.util.VectorUtil.dotProduct(query, doc), r.get("score").asDouble(), 1e-5);
      assertTrue(r.get("score").asDouble() <= previous);
      previous = r.get("score").asDouble();
    }
  }

  @Test
  void defaultsAreKTenAndTheServersDepthAndNoRerankingWithoutCa() throws Exception {
    JsonNode body = json(get(withCa, "/search?q=dog"), 200);
    assertEquals(10, body.get("results").size());
    assertEquals(20, body.get("rerank_depth").asInt());
    assertEquals(10, body.get("reranked").size());

    JsonNode noRerank = json(get(withCa, "/search?q=dog&rerank=0"), 200);
    assertFalse(noRerank.has("reranked"));
    JsonNode plain = json(get(withoutCa, "/search?q=dog&k=3"), 200);
    assertEquals(0, plain.get("rerank_depth").asInt());
    assertFalse(plain.has("reranked"));
    assertEquals(body.get("results").get(0), plain.get("results").get(0));
  }

  @Test
  void healthAndPage() throws Exception {
    JsonNode health = json(get(withCa, "/health"), 200);
    assertEquals("ok", health.get("status").asText());
    assertEquals(64, health.get("documents").asInt());
    assertEquals(256, health.get("dimension").asInt());
    assertEquals("idx", health.get("index").asText());
    assertEquals("hashing:256", health.get("encoder").asText());
    assertTrue(health.get("reranker").asBoolean());
    assertEquals("hashing:1024", health.get("reranker_model").asText());
    JsonNode plain = json(get(withoutCa, "/health"), 200);
    assertFalse(plain.get("reranker").asBoolean());
    assertFalse(plain.has("reranker_model"));

    HttpResponse<String> page = get(withCa, "/");
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("id=\"search-form\""));
    assertFalse(page.body().contains("src=\"http"), "the page loads nothing from elsewhere");
  }

  @Test
  void healthNamesTheIndexAndModelsWithoutTheirPaths() throws Exception {
    // As `dualrank serve` names them: the index directory, the encoder recorded in the index, the --rerank model.
    Path models = tmp.resolve("models");
    try (VectorIndex paths = VectorIndex.open(TestIndex.build(tmp.resolve("indexes/scifact-de"),
        models.resolve("de-scifact").toString()), 100)) {
      SearchService.Names names = SearchService.Names.of(tmp.resolve("indexes/scifact-de"), paths.info().spec().encoder(),
          models.resolve("ca-scifact") + "/");
      try (SearchServer server = SearchServer.start(new SearchService(paths, names, TestIndex.ENCODER,
          new EncoderRanker(new HashingEncoder(64)), 5), SearchServer.Config.loopback(1), System.err)) {
        HttpResponse<String> response = get(server, "/health");
        JsonNode health = json(response, 200);
        assertFalse(response.body().contains(tmp.toString()), response.body());
        assertFalse(response.body().contains("/"), response.body());
        assertEquals("scifact-de", health.get("index").asText());
        assertEquals("de-scifact", health.get("encoder").asText());
        assertEquals("ca-scifact", health.get("reranker_model").asText());
      }
    }
    assertEquals("pytorch:de", SearchService.Names.name("pytorch:" + models.resolve("de")));
    assertEquals("hashing:256", SearchService.Names.name("hashing:256"));
  }

  @Test
  void badRequestsGetAJsonErrorWithA4xxStatus() throws Exception {
    String longQuery = q("x".repeat(1001));
    Object[][] cases = {
        {withCa, "/search", 400, "missing query"},
        {withCa, "/search?q=", 400, "missing query"},
        {withCa, "/search?q=%20%20", 400, "missing query"},
        {withCa, "/search?q=" + longQuery, 400, "query too long"},
        {withCa, "/search?q=cat&k=ten", 400, "k must be an integer in 1..1000"},
        {withCa, "/search?q=cat&k=0", 400, "k must be an integer in 1..1000"},
        {withCa, "/search?q=cat&k=1001", 400, "k must be an integer in 1..1000"},
        {withCa, "/search?q=cat&k=99999999999", 400, "k must be an integer"},
        {withCa, "/search?q=cat&rerank=-1", 400, "rerank must be an integer in 0..1000"},
        {withoutCa, "/search?q=cat&rerank=5", 400, "no cross-encoder"},
        {withCa, "/nope", 404, "no such endpoint"},
        {withCa, "/search/extra", 404, "no such endpoint"},
    };
    for (Object[] c : cases) {
      JsonNode error = json(get((SearchServer) c[0], (String) c[1]), (Integer) c[2]);
      assertEquals((int) (Integer) c[2], error.get("status").asInt());
      assertTrue(error.get("error").asText().contains((String) c[3]), c[1] + ": " + error);
    }
    assertEquals(200, get(withCa, "/search?q=" + q("x".repeat(1000))).statusCode(), "1000 characters are allowed");
    assertEquals("HTTP/1.1 400", rawRequestStatus(withCa, "GET /search?q=%E0%A4%A HTTP/1.1"), "a malformed escape");

    HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + withCa.port() + "/search?q=cat"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(json(post, 405).get("error").asText().contains("use GET"));
    assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
  }

  @Test
  void anEncoderFailureIsA500AndTheServerGoesOn() throws Exception {
    JsonNode error = json(get(withCa, "/search?q=boom"), 500);
    assertTrue(error.get("error").asText().contains("encoder exploded"), error.toString());
    assertTrue(LOG.toString(StandardCharsets.UTF_8).contains("encoder exploded"));
    assertEquals(10, json(get(withCa, "/search?q=cat"), 200).get("results").size());
  }

  @Test
  void manyConcurrentClientsAllGetCorrectAnswers() throws Exception {
    String[] queries = {"cat", "dog sings", "fish swims near the horse", "lion hunts", "mouse hides"};
    List<String> expected = new ArrayList<>();
    for (String query : queries) {
      expected.add(json(get(withCa, "/search?k=7&q=" + q(query)), 200).toString().replaceAll("\"took_ms\":[^,]*,", ""));
    }
    ExecutorService clients = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        int n = i % queries.length;
        calls.add(clients.submit(() -> {
          JsonNode body = json(get(withCa, "/search?k=7&q=" + q(queries[n])), 200);
          assertEquals(expected.get(n), body.toString().replaceAll("\"took_ms\":[^,]*,", ""));
          return null;
        }));
      }
      for (Future<?> call : calls) {
        call.get();
      }
    } finally {
      clients.shutdownNow();
    }
  }
}
