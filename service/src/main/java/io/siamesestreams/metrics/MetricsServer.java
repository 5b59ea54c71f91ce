package io.siamesestreams.metrics;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.util.JavalinBindException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.Objects;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The process's one HTTP server (Javalin on Jetty), on all interfaces, always carrying:
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
 * and whatever else the caller installs ({@code siamese run} installs the HTTP API and the console,
 * {@code io.siamesestreams.api.ApiRoutes}). Unknown paths answer 404 (plain text, unless an installed
 * part says otherwise), other methods on these paths 405.
 */
public final class MetricsServer implements AutoCloseable {

  /** Default {@code --http-port} (alias {@code --metrics-port}): the port OpenTelemetry's Prometheus exporter uses. */
  public static final int DEFAULT_PORT = 9464;
  public static final String METRICS_PATH = "/metrics";
  /** Readiness, the alias of {@link #READY_PATH} kept for existing health checks. */
  public static final String HEALTH_PATH = "/health";
  public static final String READY_PATH = "/ready";
  public static final String LIVE_PATH = "/live";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String PLAIN_TEXT = "text/plain; charset=utf-8";
  /** Request threads at most: probes, scrapes, API calls and a few open event streams. */
  private static final int MAX_THREADS = 32;

  private final Javalin app;

  private MetricsServer(Javalin app) {
    this.app = app;
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
    return start(port, metrics, state, deadStreamThreads, new Routes() { });
  }

  /**
   * {@link #start(int, ServiceMetrics, Supplier, IntSupplier)} with {@code routes} installed beside the
   * probes and metrics.
   */
  public static MetricsServer start(int port, ServiceMetrics metrics, Supplier<KafkaStreams.State> state,
      IntSupplier deadStreamThreads, Routes routes) {
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(state, "state");
    Javalin app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.startupWatcherEnabled = false;
      config.http.prefer405over404 = true;
      config.http.disableCompression();
      QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
      threads.setName("siamese-http");
      threads.setDaemon(true);
      config.jetty.threadPool = threads;
      routes.configure(config);
    });
    for (HandlerType method : new HandlerType[] {HandlerType.GET, HandlerType.HEAD}) {
      app.addHttpHandler(method, METRICS_PATH, ctx -> {
        String accept = ctx.header("Accept");
        String contentType = accept != null && accept.contains("application/openmetrics-text")
            ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
            : PROMETHEUS_TEXT;
        respond(ctx, 200, contentType, metrics.scrape(contentType));
      });
      app.addHttpHandler(method, READY_PATH, ctx -> respond(ctx, Probes.readiness(state.get())));
      app.addHttpHandler(method, HEALTH_PATH, ctx -> respond(ctx, Probes.readiness(state.get())));
      app.addHttpHandler(method, LIVE_PATH,
          ctx -> respond(ctx, Probes.liveness(state.get(), deadStreamThreads.getAsInt())));
    }
    routes.install(app);
    app.exception(HttpResponseException.class, (e, ctx) -> {
      if (!routes.handle(e, ctx)) {
        String body = switch (e.getStatus()) {
          case 404 -> "not found; try " + METRICS_PATH + ", " + READY_PATH + " or " + LIVE_PATH + "\n";
          case 405 -> "method not allowed\n";
          default -> e.getMessage() + "\n";
        };
        ctx.status(e.getStatus()).contentType(PLAIN_TEXT).result(body);
      }
    });
    try {
      app.start(port);
    } catch (JavalinBindException e) {
      app.stop();
      throw new UncheckedIOException("cannot serve metrics on port " + port + ": " + e.getMessage(),
          new BindException(e.getMessage()));
    }
    return new MetricsServer(app);
  }

  /** The port actually bound. */
  public int port() {
    return app.port();
  }

  private static void respond(Context ctx, Probes.Answer answer) {
    respond(ctx, answer.status(), PLAIN_TEXT, answer.body());
  }

  private static void respond(Context ctx, int status, String contentType, String body) {
    ctx.status(status).contentType(contentType);
    if (ctx.method() != HandlerType.HEAD) {
      ctx.result(body);
    }
  }

  /** Stops serving at once (a request in flight is cut off). */
  @Override
  public void close() {
    app.stop();
  }

  /** What a caller adds to the server: configuration before it is created, routes before it starts. */
  public interface Routes {

    /** Adjusts the server's configuration (static files, request size limits). */
    default void configure(io.javalin.config.JavalinConfig config) {}

    /** Adds routes, before- and exception handlers. */
    default void install(Javalin app) {}

    /**
     * Answers a request that ended in {@code e} (no route: 404, wrong method: 405, a limit), or
     * returns false to leave it to the server's plain-text answer.
     */
    default boolean handle(HttpResponseException e, Context ctx) {
      return false;
    }
  }
}
