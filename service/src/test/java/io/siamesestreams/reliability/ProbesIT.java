package io.siamesestreams.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.app.SiameseService;
import io.siamesestreams.metrics.MetricsServer;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probes of a real service against a real broker: while Kafka Streams rebalances (start-up's
 * first assignment) {@code /live} answers 200 and {@code /ready} 503; once RUNNING both 200; after
 * the client is closed {@code /live} answers 503.
 */
class ProbesIT {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  Path dir;

  @Test
  void shouldStayLiveDuringARebalanceAndBeReadyOnlyWhenRunning() throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    Topics topics = ReliabilityFixtures.createTopics(bootstrap, "probes-", 2);
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    SiameseService service = SiameseService.start(
        ReliabilityFixtures.settings(bootstrap, bundle, topics, "probes-app", dir.resolve("state")));
    boolean closed = false;
    try (MetricsServer server = MetricsServer.start(0, ServiceMetrics.disabled(), service::state,
        service::deadStreamThreads)) {
      String base = "http://127.0.0.1:" + server.port();
      int live = 0;
      int ready = 0;
      boolean seenRebalancing = false;
      long deadline = System.nanoTime() + ReliabilityFixtures.WAIT.toNanos();
      while (!seenRebalancing && service.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
        if (service.state() == KafkaStreams.State.REBALANCING) {
          live = get(base + MetricsServer.LIVE_PATH);
          ready = get(base + MetricsServer.READY_PATH);
          // Both answers count only if the client was still rebalancing after them.
          seenRebalancing = service.state() == KafkaStreams.State.REBALANCING;
        }
        Thread.sleep(20);
      }
      assertThat(seenRebalancing).as("the service was seen REBALANCING at start-up").isTrue();
      assertThat(live).as("/live while REBALANCING").isEqualTo(200);
      assertThat(ready).as("/ready while REBALANCING").isEqualTo(503);
      assertThat(service.deadStreamThreads()).isZero();

      service.awaitRunning(ReliabilityFixtures.WAIT);
      assertThat(get(base + MetricsServer.LIVE_PATH)).as("/live when RUNNING").isEqualTo(200);
      assertThat(get(base + MetricsServer.READY_PATH)).as("/ready when RUNNING").isEqualTo(200);
      assertThat(get(base + MetricsServer.HEALTH_PATH)).as("/health when RUNNING").isEqualTo(200);

      service.close();
      closed = true;
      assertThat(service.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
      assertThat(get(base + MetricsServer.LIVE_PATH)).as("/live after close").isEqualTo(503);
      assertThat(get(base + MetricsServer.READY_PATH)).as("/ready after close").isEqualTo(503);
    } finally {
      if (!closed) {
        service.close();
      }
    }
  }

  private int get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
