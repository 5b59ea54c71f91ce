package io.siamesestreams.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>();
  private ServiceMetrics metrics;
  private MetricsServer server;

  @BeforeEach
  void start() {
    metrics = ServiceMetrics.prometheus();
    server = MetricsServer.start(0, metrics, state::get);
  }

  @AfterEach
  void stop() {
    server.close();
    metrics.close();
  }

  private HttpResponse<String> get(String path, String accept) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldServeThePrometheusTextFormatAtMetrics() throws Exception {
    metrics.frameConsumed();

    HttpResponse<String> response = get(MetricsServer.METRICS_PATH, null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(MetricsServer.PROMETHEUS_TEXT);
    assertThat(response.body()).contains("# TYPE siamese_frames_consumed_total counter",
        "siamese_frames_consumed_total 1.0");
  }

  @Test
  void shouldServeOpenMetricsWhenAsked() throws Exception {
    HttpResponse<String> response = get(MetricsServer.METRICS_PATH, "application/openmetrics-text; version=1.0.0");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
    assertThat(response.body()).contains("siamese_frames_consumed_total 0.0").endsWith("# EOF\n");
  }

  @Test
  void shouldAnswerReadyOnlyWhenKafkaStreamsIsRunning() throws Exception {
    assertThat(get(MetricsServer.HEALTH_PATH, null)).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("not ready: STARTING\n");
    });
    state.set(KafkaStreams.State.REBALANCING);
    assertThat(get(MetricsServer.HEALTH_PATH, null)).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("not ready: REBALANCING\n");
    });
    state.set(KafkaStreams.State.RUNNING);
    assertThat(get(MetricsServer.HEALTH_PATH, null)).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ready\n");
    });
    state.set(KafkaStreams.State.ERROR);
    assertThat(get(MetricsServer.HEALTH_PATH, null).statusCode()).isEqualTo(503);
  }

  @Test
  void shouldAnswerNotFoundElsewhereAndRejectOtherMethods() throws Exception {
    assertThat(get("/", null).statusCode()).isEqualTo(404);
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + MetricsServer.METRICS_PATH))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void shouldFailWithThePortInTheMessageWhenThePortIsTaken() {
    assertThatThrownBy(() -> MetricsServer.start(server.port(), metrics, state::get))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot serve metrics on port " + server.port());
  }
}
