package io.siamesestreams.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A tiny HTTP server (the JDK's {@code com.sun.net.httpserver}) on all interfaces:
 *
 * <ul>
 *   <li>{@code GET /metrics}: {@link ServiceMetrics#scrape} in the format the {@code Accept} header
 *       asks for (Prometheus text 0.0.4 by default, OpenMetrics when asked), status 200;
 *   <li>{@code GET /ready} (and its alias {@code /health}): {@code 200 ready} when the Kafka Streams
 *       state is RUNNING, otherwise {@code 503 not ready: <STATE>} ({@code STARTING} while there is no
 *       service yet);
 *   <li>{@code GET /live}: {@code 200 live} unless a stream thread died or the client stopped for good
 *       ({@link Probes#liveness}): {@code 503 not live: <why>}.
 * </ul>
 *
 * Other paths answer 404, other methods 405. One daemon thread serves the requests.
 */
public final class MetricsServer implements AutoCloseable {

  /** Default {@code --metrics-port}: the port OpenTelemetry's Prometheus exporter uses. */
  public static final int DEFAULT_PORT = 9464;
  public static final String METRICS_PATH = "/metrics";
  /** Readiness, the alias of {@link #READY_PATH} kept for existing health checks. */
  public static final String HEALTH_PATH = "/health";
  public static final String READY_PATH = "/ready";
  public static final String LIVE_PATH = "/live";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving on {@code port} (0: any free port, see {@link #port()}).
   *
   * @param state the Kafka Streams state to report on {@code /ready} and {@code /live}; may return null (not started)
   * @throws UncheckedIOException when the port cannot be bound (e.g. already in use)
   */
  public static MetricsServer start(int port, ServiceMetrics metrics, Supplier<KafkaStreams.State> state) {
    return start(port, metrics, state, () -> 0);
  }

  /**
   * {@link #start(int, ServiceMetrics, Supplier)} with {@code /live} also answering 503 while
   * {@code deadStreamThreads} is above 0.
   */
  public static MetricsServer start(
      int port, ServiceMetrics metrics, Supplier<KafkaStreams.State> state, IntSupplier deadStreamThreads) {
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(state, "state");
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + port + ": " + e.getMessage(), e);
    }
    server.createContext(METRICS_PATH, exchange -> {
      if (allowed(exchange)) {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        String contentType = accept != null && accept.contains("application/openmetrics-text")
            ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
            : PROMETHEUS_TEXT;
        respond(exchange, 200, contentType, metrics.scrape(contentType));
      }
    });
    for (String path : new String[] {READY_PATH, HEALTH_PATH}) {
      server.createContext(path, exchange -> {
        if (allowed(exchange)) {
          respond(exchange, Probes.readiness(state.get()));
        }
      });
    }
    server.createContext(LIVE_PATH, exchange -> {
      if (allowed(exchange)) {
        respond(exchange, Probes.liveness(state.get(), deadStreamThreads.getAsInt()));
      }
    });
    server.createContext("/", exchange -> respond(exchange, 404, "text/plain; charset=utf-8",
        "not found; try " + METRICS_PATH + ", " + READY_PATH + " or " + LIVE_PATH + "\n"));
    ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "siamese-metrics-http");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.start();
    return new MetricsServer(server, executor);
  }

  /** The port actually bound. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static boolean allowed(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    if (method.equals("GET") || method.equals("HEAD")) {
      return true;
    }
    respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
    return false;
  }

  private static void respond(HttpExchange exchange, Probes.Answer answer) throws IOException {
    respond(exchange, answer.status(), "text/plain; charset=utf-8", answer.body());
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }

  /** Stops serving at once (a scrape in flight is cut off). */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
