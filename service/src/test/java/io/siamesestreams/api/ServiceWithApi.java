package io.siamesestreams.api;

import io.siamesestreams.app.ServiceSettings;
import io.siamesestreams.config.ServiceConfig;
import io.siamesestreams.app.SiameseService;
import io.siamesestreams.metrics.MetricsServer;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.topology.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The real service (a real broker, a real bundle) with its HTTP server, API and console, as {@code
 * siamese run --api-keys} starts them, on a free port; keys of every role.
 */
final class ServiceWithApi implements AutoCloseable {

  static final String VIEWER_KEY = "viewer-key-7f3a";
  static final String OPERATOR_KEY = "operator-key-91c2";
  static final String ENROLLER_KEY = "enroller-key-c05e";

  final Topics topics;
  final SiameseService service;
  final ServiceMetrics metrics;
  final ApiRoutes api;
  final MetricsServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ServiceWithApi(Topics topics, SiameseService service, ServiceMetrics metrics, ApiRoutes api,
      MetricsServer server) {
    this.topics = topics;
    this.service = service;
    this.metrics = metrics;
    this.api = api;
    this.server = server;
  }

  /** Creates the topics (prefixed) and starts the service on {@code bundle}, waiting until RUNNING. */
  static ServiceWithApi start(String bootstrap, Path bundle, String prefix, Path workDir) {
    Topics topics = Topics.prefixed(prefix);
    KafkaTestSupport.createTopics(bootstrap,
        KafkaTestSupport.topic(topics.frames().name(), 1),
        KafkaTestSupport.topic(topics.identities().name(), 1),
        KafkaTestSupport.topic(topics.identityTemplates().name(), 1),
        KafkaTestSupport.topic(topics.matchEvents().name(), 1),
        KafkaTestSupport.topic(topics.framesDlq().name(), 1));
    Properties kafka = new Properties();
    kafka.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
    kafka.put("consumer.session.timeout.ms", "10000");
    ServiceSettings settings = ServiceSettings.of(Map.of(ServiceConfig.BOOTSTRAP_SERVERS, bootstrap,
            ServiceConfig.MODEL_DIR, bundle, ServiceConfig.APPLICATION_ID, prefix + "app",
            ServiceConfig.STATE_DIR, workDir.resolve("state"), ServiceConfig.BATCH_SIZE, 4,
            ServiceConfig.MAX_WAIT_MS, 20, ServiceConfig.STREAM_THREADS, 1, ServiceConfig.ONNX_THREADS, 1))
        .with(kafka)
        .with(topics.settings());
    Path keysFile = workDir.resolve("api-keys");
    try {
      Files.write(keysFile, List.of("# test keys",
          ApiKeys.line("wall-screen", Role.VIEWER, VIEWER_KEY),
          ApiKeys.line("front-desk", Role.OPERATOR, OPERATOR_KEY),
          ApiKeys.line("registrar", Role.ENROLLER, ENROLLER_KEY)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ServiceMetrics metrics = ServiceMetrics.prometheus();
    SiameseService service = SiameseService.start(settings, metrics);
    service.awaitRunning(Duration.ofSeconds(90));
    ApiRoutes api = service.apiRoutes(ApiKeys.load(keysFile));
    MetricsServer server = MetricsServer.start(0, metrics, service::state, service::deadStreamThreads, api);
    return new ServiceWithApi(topics, service, metrics, api, server);
  }

  String base() {
    return "http://127.0.0.1:" + server.port();
  }

  HttpRequest.Builder request(String path, String key) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
    return key == null ? builder : builder.header("Authorization", "Bearer " + key);
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> get(String path, String key) {
    return send(request(path, key).GET().build());
  }

  HttpResponse<String> json(String method, String path, String key, String body) {
    return send(request(path, key).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
  }

  @Override
  public void close() {
    server.close();
    api.close();
    service.close();
    metrics.close();
  }
}
