package io.dualrank.cli;

import io.dualrank.index.VectorIndex;
import io.dualrank.model.DenseEncoder;
import io.dualrank.model.Ranker;
import io.dualrank.serve.SearchServer;
import io.dualrank.serve.SearchService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dualrank serve}: the HTTP search service and its page, until the process is stopped. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
        "Serve dense search over HTTP: GET /search?q=...&k=...&rerank=DEPTH (JSON), /health, and / (a search page",
        "showing the DE results and, with --rerank, the CA re-ranked ones side by side). HEAD is answered as GET",
        "without a body. Runs until stopped."})
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--index", required = true, description = "Vector index directory (from `dualrank index`).")
  Path index;

  @Option(names = "--model", description = "Dual encoder (default: the one recorded in the index).")
  String model;

  @Option(names = "--rerank", description = "Re-ranker: a model directory (normally a CA) or hashing:<dim>.")
  String rerank;

  @Mixin PrecisionOptions.Inference precision;

  @Option(names = "--depth", defaultValue = "100",
      description = "Default re-rank depth, when a request gives no rerank parameter (default ${DEFAULT-VALUE}).")
  int depth;

  @Option(names = "--candidates", defaultValue = "100",
      description = "HNSW candidates explored per query, at least k (default ${DEFAULT-VALUE}).")
  int candidates;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}; 0: any free port).")
  int port;

  @Option(names = "--threads", defaultValue = "8", description = "Request threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--max-connections", defaultValue = "256",
      description = "Open connections at most, which also bounds the requests waiting for a thread; "
          + "more connections wait to be accepted (default ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(names = "--idle-timeout", defaultValue = "20",
      description = "Seconds a connection may send nothing, its request included, before it is closed "
          + "(default ${DEFAULT-VALUE}; 1 s for open connections once --max-connections is reached).")
  int idleTimeoutSeconds;

  @Option(names = "--allowed-host", paramLabel = "NAME",
      description = "A host name clients may use (the Host header) besides localhost, 127.0.0.1, ::1 and --host; "
          + "repeatable. Requests naming any other host get 421 (a guard against DNS rebinding).")
  List<String> allowedHosts = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    VectorIndex vectors = VectorIndex.open(index, candidates);
    String encoderSpec = model != null ? model : vectors.info().spec().encoder();
    DenseEncoder encoder = ModelLoader.denseEncoder(encoderSpec, precision.precision);
    Ranker ranker = rerank == null ? null : ModelLoader.ranker(rerank, precision.precision);
    SearchService service = new SearchService(vectors, SearchService.Names.of(index, encoderSpec, rerank), encoder, ranker, depth);
    SearchServer.Config config = new SearchServer.Config(host, port, threads, maxConnections,
        Duration.ofSeconds(idleTimeoutSeconds), allowedHosts);
    SearchServer server = SearchServer.start(service, config, System.err);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      encoder.close();
      if (ranker != null) {
        ranker.close();
      }
      vectors.close();
    }));
    spec.commandLine().getOut().printf("serving %d documents on http://%s:%d/ (host names served: %s)%n",
        vectors.size(), host, server.port(), String.join(", ", config.allowedHosts()));
    spec.commandLine().getOut().flush();
    new CountDownLatch(1).await();
    return 0;
  }
}
