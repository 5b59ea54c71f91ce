package io.siamesestreams.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.app.ServiceSettings;
import io.siamesestreams.app.SiameseService;
import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.events.Mode;
import io.siamesestreams.identity.IdentityTemplates;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 5 of docs/RELIABILITY.md: two instances share a 2-partition {@code frames} topic. After
 * alice's tombstone on {@code identities}: her templates are tombstoned in {@code
 * identity-templates} (and with them the thumbnail they carried), both instances' galleries drop her (timed from the tombstone's
 * acknowledgement), every 1:1 claim of alice on either instance is UNKNOWN_IDENTITY, no 1:N event
 * names her (not even as a candidate), and an instance restarted on its own state directory loads a
 * gallery without her: the persistent store holds no templates of hers.
 */
class ErasureIT {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static final int CAMERAS = 8;

  @TempDir
  Path dir;

  @Test
  void shouldNeverMatchAnErasedIdentityAgainOnAnyInstance() throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    Topics topics = ReliabilityFixtures.createTopics(bootstrap, "erase-", 2);
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    ServiceSettings first = ReliabilityFixtures.settings(bootstrap, bundle, topics, "erase-app", dir.resolve("s1"));
    ServiceSettings second = ReliabilityFixtures.settings(bootstrap, bundle, topics, "erase-app", dir.resolve("s2"));
    SiameseService one = SiameseService.start(first);
    SiameseService two = SiameseService.start(second);
    try {
      one.awaitRunning(ReliabilityFixtures.WAIT);
      two.awaitRunning(ReliabilityFixtures.WAIT);
      KafkaTestSupport.produce(bootstrap, List.of(ReliabilityFixtures.enrolment(topics, "alice", 1),
          ReliabilityFixtures.enrolment(topics, "bob", 2), ReliabilityFixtures.enrolment(topics, "carol", 3)));
      SiameseService a = one;
      SiameseService b = two;
      Waits.until(ReliabilityFixtures.WAIT, "both galleries hold 3 identities",
          () -> a.gallerySize() == 3 && b.gallerySize() == 3);
      Map<String, MatchEvent> before = produceAndAwait(topics, "before", 0);
      assertThat(before.values()).filteredOn(e -> e.mode() == Mode.VERIFY)
          .allSatisfy(e -> assertThat(e.decision()).isEqualTo(Decision.MATCH));

      KafkaTestSupport.produce(bootstrap, List.of(ReliabilityFixtures.erasure(topics, "alice")));
      long acknowledged = System.nanoTime();
      long galleryOne = Waits.until(ReliabilityFixtures.WAIT, "instance 1 drops alice", () -> a.gallerySize() == 2);
      long galleryTwo = Waits.until(ReliabilityFixtures.WAIT, "instance 2 drops alice", () -> b.gallerySize() == 2);
      long bothGalleries = (System.nanoTime() - acknowledged) / 1_000_000;
      List<ConsumerRecord<String, IdentityTemplates>> templates = KafkaTestSupport.consume(bootstrap,
          topics.identityTemplates().name(), Topics.TEMPLATES_SERDE.deserializer(), 4, ReliabilityFixtures.WAIT,
          r -> true);
      assertThat(templates).hasSize(4);
      assertThat(templates.subList(0, 3)).filteredOn(r -> "alice".equals(r.key())).singleElement()
          .satisfies(r -> assertThat(r.value().thumbnail()).as("alice's thumbnail travels with her templates")
              .isNotBlank());
      assertThat(templates.get(3).key()).isEqualTo("alice");
      assertThat(templates.get(3).value()).as("alice's templates are tombstoned in the derived topic").isNull();

      Map<String, MatchEvent> after = produceAndAwait(topics, "after", before.size());
      assertErased(after);
      long effect = (System.nanoTime() - acknowledged) / 1_000_000;

      // The persistent gallery store of an instance restarted on its own state directory has no alice.
      one.close();
      one = SiameseService.start(first);
      one.awaitRunning(ReliabilityFixtures.WAIT);
      assertThat(one.gallerySize()).as("gallery loaded from the restarted instance's store").isEqualTo(2);
      assertErased(produceAndAwait(topics, "restarted", before.size() + after.size()));
      System.out.printf("RELIABILITY erasure: tombstone -> gallery of instance 1 %d ms, instance 2 %d ms (both %d ms);"
          + " tombstone -> %d frames on both instances checked without alice %d ms%n",
          galleryOne, galleryTwo, bothGalleries, after.size(), effect);
    } finally {
      one.close();
      two.close();
    }
  }

  private static void assertErased(Map<String, MatchEvent> events) {
    assertThat(events.values()).filteredOn(e -> e.mode() == Mode.VERIFY && "alice".equals(e.identityId()))
        .hasSize(CAMERAS)
        .allSatisfy(e -> assertThat(e.decision()).as(e.frameId()).isEqualTo(Decision.UNKNOWN_IDENTITY));
    assertThat(events.values()).filteredOn(e -> e.mode() == Mode.IDENTIFY).hasSize(CAMERAS).allSatisfy(e -> {
      assertThat(e.identityId()).as(e.frameId()).isNotEqualTo("alice");
      assertThat(e.candidates()).extracting(MatchEvent.Candidate::identityId).doesNotContain("alice");
    });
  }

  /**
   * On every camera (so on both partitions, both instances): a claim of alice and an identify with
   * alice's face; returns the events of these frames by frame id.
   */
  private static Map<String, MatchEvent> produceAndAwait(Topics topics, String prefix, int alreadyThere) {
    List<ProducerRecord<String, byte[]>> frames = new ArrayList<>();
    for (int c = 0; c < CAMERAS; c++) {
      frames.add(ReliabilityFixtures.frame(topics, prefix + "-verify-" + c, "cam-" + c, 1, 20 + c, "alice"));
      frames.add(ReliabilityFixtures.frame(topics, prefix + "-identify-" + c, "cam-" + c, 1, 30 + c, null));
    }
    KafkaTestSupport.produce(KAFKA.bootstrapServers(), frames);
    List<ConsumerRecord<String, MatchEvent>> events = KafkaTestSupport.consume(KAFKA.bootstrapServers(),
        topics.matchEvents().name(), Topics.MATCH_EVENT_SERDE.deserializer(), frames.size(),
        ReliabilityFixtures.WAIT, r -> r.value().frameId().startsWith(prefix + "-"));
    assertThat(events).hasSize(frames.size());
    return events.stream().map(ConsumerRecord::value)
        .collect(Collectors.toMap(MatchEvent::frameId, Function.identity()));
  }
}
