package io.siamesestreams.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.events.Mode;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 1 of docs/RELIABILITY.md: {@code siamese run} in its own JVM is killed with SIGKILL at
 * random points while a gateway streams frames, and restarted each time (same state directory, as
 * a supervisor would). A {@code read_committed} consumer then sees exactly one match event per
 * valid frame id (0 lost, 0 duplicated), each with the right decision, and each invalid frame
 * exactly once as a dead letter.
 *
 * <p>Size: {@code -Dreliability.frames} (default 20,000), {@code -Dreliability.kills} (default 3),
 * {@code -Dreliability.seconds} (how long the gateway streams, default 40), {@code
 * -Dreliability.seed} (kill points; random by default, printed). About 70 s on two cores.
 */
class CrashRecoveryIT {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @TempDir
  Path dir;

  @Test
  void shouldDeliverExactlyOneEventPerValidFrameAcrossRepeatedKillNines() throws Exception {
    int frames = ReliabilityFixtures.intProperty("reliability.frames", 20_000);
    int kills = ReliabilityFixtures.intProperty("reliability.kills", 3);
    int seconds = ReliabilityFixtures.intProperty("reliability.seconds", 40);
    long seed = Long.getLong("reliability.seed", System.nanoTime());
    Random random = new Random(seed);
    String bootstrap = KAFKA.bootstrapServers();
    Topics topics = ReliabilityFixtures.createTopics(bootstrap, "crash-", 2);
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    Path config = ReliabilityFixtures.serviceConfigFile(dir.resolve("service.properties"), topics, Map.of());
    List<String> runArgs = List.of("run", "--bootstrap", bootstrap, "--model", bundle.toString(),
        "--config", config.toString(), "--application-id", "crash-app", "--state-dir",
        dir.resolve("state").toString(), "--metrics-port", "0", "--batch-size", "16", "--onnx-threads", "1");
    KafkaTestSupport.produce(bootstrap, List.of(ReliabilityFixtures.enrolment(topics, "alice", 1),
        ReliabilityFixtures.enrolment(topics, "bob", 2)));

    List<Long> recoveryMillis = new ArrayList<>();
    List<Long> killedAfterMillis = new ArrayList<>();
    List<Long> killedAtEpochMillis = new ArrayList<>();
    ServiceProcess service = ServiceProcess.start(dir.resolve("run-0.log"), runArgs);
    FrameStream stream = null;
    try {
      assertThat(service.awaitRunning(ReliabilityFixtures.WAIT)).as(service.log()).isTrue();
      // The gallery must hold alice and bob before the first frame: their templates are committed,
      // and the service's global gallery consumer (polling continuously) reads them well within 2 s.
      assertThat(KafkaTestSupport.consumeBytes(bootstrap, topics.identityTemplates().name(), 2,
          ReliabilityFixtures.WAIT)).as("templates of alice and bob").hasSize(2);
      Thread.sleep(2_000);
      stream = FrameStream.start(bootstrap, topics, "crash", frames, Math.max(1, frames / seconds));
      for (int kill = 1; kill <= kills; kill++) {
        long pause = 1_000 + random.nextInt(2_500);
        Thread.sleep(pause);
        killedAfterMillis.add(pause);
        int status = service.kill9();
        assertThat(status).as("exit status after SIGKILL").isEqualTo(137);
        long killedAt = System.nanoTime();
        killedAtEpochMillis.add(System.currentTimeMillis());
        service = ServiceProcess.start(dir.resolve("run-" + kill + ".log"), runArgs);
        assertThat(service.awaitRunning(ReliabilityFixtures.WAIT)).as(service.log()).isTrue();
        recoveryMillis.add((System.nanoTime() - killedAt) / 1_000_000);
      }
      stream.awaitSent(300);
      assertThat(stream.failures()).as("gateway send failures").isEmpty();
      Set<String> valid = stream.validFrameIds();
      Set<String> invalid = stream.invalidFrameIds();
      assertThat(valid.size() + invalid.size()).isEqualTo(frames);

      long drainStart = System.nanoTime();
      OutcomeLedger ledger = OutcomeLedger.read(bootstrap, topics, valid.size(), invalid.size(),
          Duration.ofSeconds(240), Duration.ofSeconds(5));
      long drainMillis = (System.nanoTime() - drainStart) / 1_000_000;
      Set<String> lost = ledger.lost(valid);
      Set<String> duplicated = ledger.duplicated(valid);
      List<Long> toFirstEvent = killedAtEpochMillis.stream().map(ledger::millisToFirstEventAfter).toList();
      System.out.printf("RELIABILITY crash: %d frames (%d valid, %d invalid), %d kill -9 (after %s ms of running),"
              + " recovery kill->RUNNING %s ms, kill->first event %s ms, lost %d, duplicated %d, dead letters %d (each once: %s),"
              + " drain after last frame %d ms, seed %d%n", frames, valid.size(), invalid.size(), kills,
          killedAfterMillis, recoveryMillis, toFirstEvent, lost.size(), ledger.duplicateEventCount(),
          ledger.deadLettersPerFrame().size(),
          ledger.deadLettersPerFrame().values().stream().allMatch(n -> n == 1), drainMillis, seed);

      assertThat(lost).as("valid frames without an event").isEmpty();
      assertThat(duplicated).as("frames with more than one event, or an event although invalid").isEmpty();
      assertThat(ledger.events()).hasSize(valid.size());
      for (MatchEvent event : ledger.events()) {
        assertThat(event.decision()).as(event.frameId()).isEqualTo(Decision.MATCH);
        if (event.mode() == Mode.IDENTIFY) {
          assertThat(event.identityId()).as(event.frameId()).isEqualTo("alice");
        }
      }
      List<String> expectedLetters = invalid.stream().map(id -> "not json " + id + " [NOT_JSON]").toList();
      assertThat(ledger.deadLettersPerFrame()).as("dead letters, each exactly once")
          .containsOnlyKeys(expectedLetters).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
    } finally {
      service.close();
      if (stream != null && !stream.isDone()) {
        stream.awaitSent(120);
      }
    }
  }
}
