package io.siamesestreams.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.metrics.MetricsServer;
import io.siamesestreams.metrics.ServiceMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** Without {@code --api-keys} the server carries the metrics and probes only. */
class ApiOffTest {

  @Test
  void shouldAnswerApiPathsWithAProblemSayingTheApiIsOffAndStillServeMetrics() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (ServiceMetrics metrics = ServiceMetrics.prometheus();
        MetricsServer server = MetricsServer.start(0, metrics, () -> KafkaStreams.State.RUNNING, () -> 0,
            ApiRoutes.disabled())) {
      String base = "http://127.0.0.1:" + server.port();
      HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/identities")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(api.statusCode()).isEqualTo(404);
      assertThat(api.headers().firstValue("Content-Type").orElseThrow()).startsWith(Problem.CONTENT_TYPE);
      assertThat(api.body()).contains("\"code\":\"API_OFF\"").contains("--api-keys");
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).as("no console").isEqualTo(404);
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ready\n");
    }
  }
}
