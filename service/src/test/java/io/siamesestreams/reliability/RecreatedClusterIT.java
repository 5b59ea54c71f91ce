package io.siamesestreams.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.app.SiameseService;
import io.siamesestreams.broker.BrokerSettings;
import io.siamesestreams.broker.EmbeddedKafkaBroker;
import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service restarted with the state directory of an earlier cluster (a development broker wiped
 * and recreated on the same address, a restored backup): its local stores and checkpoints describe
 * offsets that no longer exist. It must start, forget the old cluster's gallery and serve the new
 * one.
 */
class RecreatedClusterIT {

  @TempDir
  Path dir;

  @Test
  void shouldStartWithTheStateDirectoryOfAClusterThatNoLongerExists() throws Exception {
    int port = freePort();
    int controllerPort = freePort();
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    Path state = dir.resolve("state");

    try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(new BrokerSettings(BrokerSettings.DEFAULT_HOST, port,
        controllerPort, dir.resolve("kafka-1"), Map.of()))) {
      String bootstrap = first.bootstrapServers();
      Topics topics = ReliabilityFixtures.createTopics(bootstrap, "", 1);
      try (SiameseService service = SiameseService.start(ReliabilityFixtures.settings(bootstrap, bundle, topics,
          "recreated-app", state))) {
        service.awaitRunning(ReliabilityFixtures.WAIT);
        KafkaTestSupport.produce(bootstrap, List.of(ReliabilityFixtures.enrolment(topics, "alice", 1),
            ReliabilityFixtures.enrolment(topics, "bob", 2), ReliabilityFixtures.enrolment(topics, "carol", 3)));
        Waits.until(ReliabilityFixtures.WAIT, "gallery of 3", () -> service.gallerySize() == 3);
      }
    }

    try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(new BrokerSettings(BrokerSettings.DEFAULT_HOST, port,
        controllerPort, dir.resolve("kafka-2"), Map.of()))) {
      String bootstrap = second.bootstrapServers();
      Topics topics = ReliabilityFixtures.createTopics(bootstrap, "", 1);
      long start = System.nanoTime();
      try (SiameseService service = SiameseService.start(ReliabilityFixtures.settings(bootstrap, bundle, topics,
          "recreated-app", state))) {
        service.awaitRunning(ReliabilityFixtures.WAIT);
        long running = (System.nanoTime() - start) / 1_000_000;
        assertThat(service.gallerySize()).as("identities of the old cluster").isZero();

        KafkaTestSupport.produce(bootstrap, List.of(ReliabilityFixtures.enrolment(topics, "dave", 4)));
        Waits.until(ReliabilityFixtures.WAIT, "gallery of 1", () -> service.gallerySize() == 1);
        KafkaTestSupport.produce(bootstrap, List.of(
            ReliabilityFixtures.frame(topics, "new-1", "cam-1", 4, 9, "dave"),
            ReliabilityFixtures.frame(topics, "new-2", "cam-1", 1, 9, "alice")));
        List<ConsumerRecord<String, MatchEvent>> events = KafkaTestSupport.consume(bootstrap,
            topics.matchEvents().name(), Topics.MATCH_EVENT_SERDE.deserializer(), 2, ReliabilityFixtures.WAIT,
            r -> true);
        System.out.printf("RELIABILITY recreated-cluster: old state directory (3 identities) against a new cluster: "
            + "RUNNING in %d ms, gallery %d after one new enrolment, events %s%n", running, service.gallerySize(),
            events.stream().map(r -> r.value().frameId() + "=" + r.value().decision()).toList());

        assertThat(events).extracting(r -> r.value().decision())
            .containsExactlyInAnyOrder(Decision.MATCH, Decision.UNKNOWN_IDENTITY);
        assertThat(service.failure()).isNull();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(BrokerSettings.DEFAULT_HOST))) {
      return socket.getLocalPort();
    }
  }
}
