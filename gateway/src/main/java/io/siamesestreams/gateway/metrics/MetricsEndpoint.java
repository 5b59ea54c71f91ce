package io.siamesestreams.gateway.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /metrics} (Prometheus text format) and {@code GET /health} ({@code 200 ok}) on all
 * interfaces, served by one daemon thread of the JDK's HTTP server.
 */
public final class MetricsEndpoint implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Serves {@code metrics} on {@code port} (0 = a free port). */
  public static MetricsEndpoint start(int port, GatewayMetrics metrics) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on metrics port " + port, e);
    }
    server.createContext("/metrics", exchange -> answer(exchange, 200, metrics.registry().scrape(),
        "text/plain; version=0.0.4; charset=utf-8"));
    server.createContext("/health", exchange -> answer(exchange, 200, "ok\n", "text/plain; charset=utf-8"));
    ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "gateway-metrics");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.start();
    return new MetricsEndpoint(server, executor);
  }

  private static void answer(HttpExchange exchange, int status, String body, String contentType) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The port actually bound. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
