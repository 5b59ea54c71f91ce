package io.siamesestreams.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.app.SiameseService;
import io.siamesestreams.broker.BrokerSettings;
import io.siamesestreams.broker.EmbeddedKafkaBroker;
import io.siamesestreams.events.Decision;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 2 of docs/RELIABILITY.md: the broker stops mid-stream and comes back on the same ports
 * with the same data; the service (never touched) recovers by itself, and the accounting is the
 * crash scenario's: one event per valid frame, each dead letter once.
 */
class BrokerRestartIT {

  @TempDir
  Path dir;

  @Test
  void shouldRecoverWithoutManualActionAfterTheBrokerRestartsMidStream() throws Exception {
    int frames = ReliabilityFixtures.intProperty("reliability.broker.frames", 2_000);
    BrokerSettings settings = new BrokerSettings(BrokerSettings.DEFAULT_HOST, freePort(), freePort(),
        dir.resolve("kafka"), Map.of());
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(settings);
    SiameseService service = null;
    try {
      String bootstrap = broker.bootstrapServers();
      Topics topics = ReliabilityFixtures.createTopics(bootstrap, "restart-", 2);
      Path bundle = TestBundles.write(dir.resolve("bundle"));
      service = SiameseService.start(ReliabilityFixtures.settings(bootstrap, bundle, topics, "restart-app",
          dir.resolve("state")));
      service.awaitRunning(ReliabilityFixtures.WAIT);
      KafkaTestSupport.produce(bootstrap, List.of(ReliabilityFixtures.enrolment(topics, "alice", 1),
          ReliabilityFixtures.enrolment(topics, "bob", 2)));
      SiameseService running = service;
      Waits.until(ReliabilityFixtures.WAIT, "gallery of 2", () -> running.gallerySize() == 2);

      FrameStream stream = FrameStream.start(bootstrap, topics, "restart", frames, Math.max(1, frames / 20));
      Thread.sleep(6_000);
      broker.close();
      long down = System.nanoTime();
      Thread.sleep(5_000);
      broker = EmbeddedKafkaBroker.start(settings);
      long downMillis = (System.nanoTime() - down) / 1_000_000;
      long backAt = System.nanoTime();
      long backAtEpochMillis = System.currentTimeMillis();

      stream.awaitSent(240);
      assertThat(stream.failures()).as("gateway send failures").isEmpty();
      Set<String> valid = stream.validFrameIds();
      Set<String> invalid = stream.invalidFrameIds();
      OutcomeLedger ledger = OutcomeLedger.read(bootstrap, topics, valid.size(), invalid.size(),
          Duration.ofSeconds(240), Duration.ofSeconds(5));
      long recoveredMillis = (System.nanoTime() - backAt) / 1_000_000;
      System.out.printf("RELIABILITY broker-restart: %d frames (%d valid, %d invalid), broker down %d ms, "
              + "broker back -> first event %d ms, lost %d, duplicated %d, dead letters %d, broker back -> all events read"
              + " %d ms, service %s%n",
          frames, valid.size(), invalid.size(), downMillis, ledger.millisToFirstEventAfter(backAtEpochMillis), ledger.lost(valid).size(),
          ledger.duplicateEventCount(), ledger.deadLettersPerFrame().size(), recoveredMillis, service.state());

      assertThat(ledger.lost(valid)).as("lost").isEmpty();
      assertThat(ledger.duplicated(valid)).as("duplicated").isEmpty();
      assertThat(ledger.events()).allSatisfy(e -> assertThat(e.decision()).isEqualTo(Decision.MATCH));
      assertThat(ledger.deadLettersPerFrame()).hasSize(invalid.size())
          .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
      assertThat(service.failure()).isNull();
      assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);
    } finally {
      if (service != null) {
        service.close();
      }
      broker.close();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(BrokerSettings.DEFAULT_HOST))) {
      return socket.getLocalPort();
    }
  }
}
