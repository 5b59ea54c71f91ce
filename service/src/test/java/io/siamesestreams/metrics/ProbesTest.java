package io.siamesestreams.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code /live}, {@code /ready} and {@code /health} of a real {@link MetricsServer}, state by state. */
class ProbesTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>();
  private final AtomicInteger deadThreads = new AtomicInteger();
  private ServiceMetrics metrics;
  private MetricsServer server;

  @BeforeEach
  void start() {
    metrics = ServiceMetrics.prometheus();
    server = MetricsServer.start(0, metrics, state::get, deadThreads::get);
  }

  @AfterEach
  void stop() {
    server.close();
    metrics.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldStayLiveButNotReadyWhileKafkaStreamsRebalances() throws Exception {
    state.set(KafkaStreams.State.REBALANCING);

    assertThat(get(MetricsServer.LIVE_PATH)).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("live\n");
    });
    assertThat(get(MetricsServer.READY_PATH)).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("not ready: REBALANCING\n");
    });
    assertThat(get(MetricsServer.HEALTH_PATH).statusCode()).as("/health, the alias of /ready").isEqualTo(503);
  }

  @Test
  void shouldBeLiveAndReadyWhenRunning() throws Exception {
    state.set(KafkaStreams.State.RUNNING);

    assertThat(get(MetricsServer.LIVE_PATH).statusCode()).isEqualTo(200);
    assertThat(get(MetricsServer.READY_PATH)).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ready\n");
    });
    assertThat(get(MetricsServer.HEALTH_PATH).body()).isEqualTo("ready\n");
  }

  @Test
  void shouldBeLiveButNotReadyBeforeTheServiceHasStarted() throws Exception {
    assertThat(get(MetricsServer.LIVE_PATH).statusCode()).isEqualTo(200);
    assertThat(get(MetricsServer.READY_PATH).body()).isEqualTo("not ready: STARTING\n");
  }

  @ParameterizedTest
  @EnumSource(value = KafkaStreams.State.class, names = {"PENDING_SHUTDOWN", "NOT_RUNNING", "PENDING_ERROR", "ERROR"})
  void shouldBeNeitherLiveNorReadyOnceTheClientHasStopped(KafkaStreams.State stopped) throws Exception {
    state.set(stopped);

    assertThat(get(MetricsServer.LIVE_PATH)).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("not live: " + stopped + "\n");
    });
    assertThat(get(MetricsServer.READY_PATH).statusCode()).isEqualTo(503);
  }

  @ParameterizedTest
  @EnumSource(value = KafkaStreams.State.class, names = {"CREATED", "REBALANCING", "RUNNING"})
  void shouldStayLiveInEveryStateFromWhichTheClientComesBackToRunning(KafkaStreams.State state) {
    assertThat(Probes.liveness(state, 0).status()).isEqualTo(200);
  }

  @Test
  void shouldNotBeLiveWhenAStreamThreadHasDiedEvenIfTheClientStillRuns() throws Exception {
    state.set(KafkaStreams.State.RUNNING);
    deadThreads.set(1);

    assertThat(get(MetricsServer.LIVE_PATH)).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("not live: 1 stream thread(s) died\n");
    });
  }
}
