package io.siamesestreams.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.siamesestreams.app.SiameseService;
import io.siamesestreams.events.Decision;
import io.siamesestreams.events.Mode;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 3 of docs/RELIABILITY.md: two instances on a 4-partition {@code frames} topic; a third
 * joins mid-stream (6 s into a 20 s stream) and the first leaves 6 s later. Same accounting as the crash scenario (one event
 * per valid frame, each dead letter once), every instance holds the complete gallery, and every
 * instance answered identify requests correctly (its own counter of IDENTIFY MATCH events).
 */
class ScaleOutIT {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @TempDir
  Path dir;

  @Test
  void shouldKeepExactlyOnceAndACompleteGalleryWhileInstancesJoinAndLeave() throws Exception {
    int frames = ReliabilityFixtures.intProperty("reliability.scale.frames", 3_000);
    String bootstrap = KAFKA.bootstrapServers();
    Topics topics = ReliabilityFixtures.createTopics(bootstrap, "scale-", 4);
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    List<SimpleMeterRegistry> registries = new ArrayList<>();
    List<SiameseService> instances = new ArrayList<>();
    try {
      for (int i = 1; i <= 2; i++) {
        instances.add(startInstance(bootstrap, bundle, topics, i, registries));
      }
      for (SiameseService instance : instances) {
        instance.awaitRunning(ReliabilityFixtures.WAIT);
      }
      KafkaTestSupport.produce(bootstrap, List.of(ReliabilityFixtures.enrolment(topics, "alice", 1),
          ReliabilityFixtures.enrolment(topics, "bob", 2)));
      Waits.until(ReliabilityFixtures.WAIT, "complete gallery on instances 1 and 2",
          () -> instances.stream().allMatch(s -> s.gallerySize() == 2));

      FrameStream stream = FrameStream.start(bootstrap, topics, "scale", frames, Math.max(1, frames / 20));
      Thread.sleep(6_000);
      long joining = System.nanoTime();
      SiameseService third = startInstance(bootstrap, bundle, topics, 3, registries);
      instances.add(third);
      third.awaitRunning(ReliabilityFixtures.WAIT);
      long joinMillis = (System.nanoTime() - joining) / 1_000_000;
      assertThat(third.gallerySize()).as("gallery of the joining instance").isEqualTo(2);
      Thread.sleep(6_000);
      long leaving = System.nanoTime();
      instances.get(0).close();
      long leaveMillis = (System.nanoTime() - leaving) / 1_000_000;

      stream.awaitSent(240);
      assertThat(stream.failures()).isEmpty();
      Set<String> valid = stream.validFrameIds();
      Set<String> invalid = stream.invalidFrameIds();
      OutcomeLedger ledger = OutcomeLedger.read(bootstrap, topics, valid.size(), invalid.size(),
          Duration.ofSeconds(240), Duration.ofSeconds(5));
      List<Double> identifyMatches = registries.stream().map(ScaleOutIT::identifyMatches).toList();
      System.out.printf("RELIABILITY scale-out: %d frames (%d valid, %d invalid) on 4 partitions, instances 1+2,"
              + " +3 after 6 s (RUNNING in %d ms), -1 6 s later (closed in %d ms); lost %d, duplicated %d,"
              + " dead letters %d; IDENTIFY MATCH events per instance %s; galleries %s%n", frames, valid.size(),
          invalid.size(), joinMillis, leaveMillis, ledger.lost(valid).size(), ledger.duplicateEventCount(),
          ledger.deadLettersPerFrame().size(), identifyMatches,
          instances.stream().map(SiameseService::gallerySize).toList());

      assertThat(ledger.lost(valid)).as("lost").isEmpty();
      assertThat(ledger.duplicated(valid)).as("duplicated").isEmpty();
      assertThat(ledger.events()).allSatisfy(e -> {
        assertThat(e.decision()).as(e.frameId()).isEqualTo(Decision.MATCH);
        if (e.mode() == Mode.IDENTIFY) {
          assertThat(e.identityId()).as(e.frameId()).isEqualTo("alice");
        }
      });
      assertThat(ledger.deadLettersPerFrame()).hasSize(invalid.size())
          .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
      assertThat(identifyMatches).as("identify answered on every instance").allSatisfy(n -> assertThat(n).isPositive());
      for (SiameseService instance : instances.subList(1, instances.size())) {
        assertThat(instance.gallerySize()).isEqualTo(2);
        assertThat(instance.state()).isEqualTo(KafkaStreams.State.RUNNING);
      }
    } finally {
      for (SiameseService instance : instances) {
        instance.close();
      }
    }
  }

  private SiameseService startInstance(String bootstrap, Path bundle, Topics topics, int number,
      List<SimpleMeterRegistry> registries) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    registries.add(registry);
    return SiameseService.start(ReliabilityFixtures.settings(bootstrap, bundle, topics, "scale-app",
        dir.resolve("state-" + number)), ServiceMetrics.on(registry));
  }

  private static double identifyMatches(SimpleMeterRegistry registry) {
    return registry.find("siamese.match.events").tag("mode", Mode.IDENTIFY.name())
        .tag("decision", Decision.MATCH.name()).counters().stream().mapToDouble(Counter::count).sum();
  }
}
