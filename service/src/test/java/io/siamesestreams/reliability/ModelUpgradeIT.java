package io.siamesestreams.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.app.GalleryUpgrade;
import io.siamesestreams.app.ServiceSettings;
import io.siamesestreams.app.SiameseService;
import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.identity.IdentityTemplates;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 6 of docs/RELIABILITY.md: the service runs bundle A (version v1), identities enrol; it
 * stops and restarts with bundle B (version v2, other weights), nothing else done by hand. B finds
 * the v1 gallery at start-up and rewinds its enrolments by itself ({@link GalleryUpgrade}), ignores
 * every v1 template, re-embeds the whole gallery from the enrolment topic, and meanwhile answers a
 * genuine claim with UNKNOWN_IDENTITY, never with a comparison against v1 templates (which would
 * read NO_MATCH); every event after the restart carries v2. Timed: re-embedding per 1,000 identities.
 */
class ModelUpgradeIT {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @TempDir
  Path dir;

  @Test
  void shouldReembedTheGalleryWithTheNewVersionAndNeverCompareAcrossVersions() throws Exception {
    int identities = ReliabilityFixtures.intProperty("reliability.upgrade.identities", 1_000);
    String bootstrap = KAFKA.bootstrapServers();
    Topics topics = ReliabilityFixtures.createTopics(bootstrap, "upgrade-", 1);
    Path bundleA = TestBundles.write(dir.resolve("bundle-a"));
    Path bundleB = UpgradeBundles.writeVersionTwo(dir.resolve("bundle-b"));
    ServiceSettings a = ReliabilityFixtures.settings(bootstrap, bundleA, topics, "upgrade-app", dir.resolve("state"));
    ServiceSettings b = ReliabilityFixtures.settings(bootstrap, bundleB, topics, "upgrade-app", dir.resolve("state"));

    List<ProducerRecord<String, byte[]>> enrolments = new ArrayList<>();
    for (int i = 0; i < identities; i++) {
      enrolments.add(ReliabilityFixtures.enrolment(topics, "id-" + i, 100 + i));
    }
    long enrolledA;
    try (SiameseService service = SiameseService.start(a)) {
      assertThat(service.galleryUpgrade().outcome()).isEqualTo(GalleryUpgrade.Outcome.NEW_GROUP);
      service.awaitRunning(ReliabilityFixtures.WAIT);
      long start = System.nanoTime();
      KafkaTestSupport.produce(bootstrap, enrolments);
      Waits.until(Duration.ofMinutes(3), "v1 gallery of " + identities, () -> service.gallerySize() == identities);
      enrolledA = (System.nanoTime() - start) / 1_000_000;
      Map<String, MatchEvent> events = verifyClaims(topics, "a", 0, 10);
      assertThat(events.values()).allSatisfy(e -> {
        assertThat(e.modelVersion()).isEqualTo(TestBundles.MODEL_VERSION);
        assertThat(e.decision()).as(e.frameId()).isEqualTo(Decision.MATCH);
      });
    }

    // Claims that wait while the service is down race the re-embedding once B starts: each must be
    // MATCH (already re-embedded) or UNKNOWN_IDENTITY (not yet), never NO_MATCH (a v2 frame compared
    // with a v1 template).
    int waiting = 50;
    produceClaims(topics, "during", identities - waiting, waiting);

    long start = System.nanoTime();
    try (SiameseService service = SiameseService.start(b)) {
      long checked = (System.nanoTime() - start) / 1_000_000;
      GalleryUpgrade.Result upgrade = service.galleryUpgrade();
      assertThat(upgrade.outcome()).isEqualTo(GalleryUpgrade.Outcome.REWOUND);
      assertThat(upgrade.identitiesByModel()).containsExactly(
          Map.entry(GalleryUpgrade.modelKey(TestBundles.MODEL_ID, TestBundles.MODEL_VERSION), identities));
      service.awaitRunning(ReliabilityFixtures.WAIT);
      long running = (System.nanoTime() - start) / 1_000_000;
      Map<String, MatchEvent> during = awaitClaims(topics, "during", waiting);
      Waits.until(Duration.ofMinutes(3), "v2 gallery of " + identities, () -> service.gallerySize() == identities);
      long reembedded = (System.nanoTime() - start) / 1_000_000;
      Map<String, MatchEvent> after = verifyClaims(topics, "after", 0, 10);
      double perThousand = reembedded * 1000.0 / identities;
      long unknownDuring = during.values().stream().filter(e -> e.decision() == Decision.UNKNOWN_IDENTITY).count();
      System.out.printf("RELIABILITY upgrade: %d identities, v1 enrolment %d ms; v2 start -> gallery checked "
              + "(templates read in %d ms) and enrolments rewound %d ms, -> RUNNING %d ms, -> gallery re-embedded %d ms (%.0f ms per 1,000 identities), v1 templates ignored on the topic %d (store: filtered at load), "
              + "claims during re-embedding: %d UNKNOWN_IDENTITY, %d MATCH, 0 compared across versions%n",
          identities, enrolledA, upgrade.scan().toMillis(), checked, running, reembedded, perThousand, service.ignoredTemplates(), unknownDuring,
          during.size() - unknownDuring);

      assertThat(during.values()).allSatisfy(e -> {
        assertThat(e.modelVersion()).isEqualTo(UpgradeBundles.VERSION);
        assertThat(e.decision()).as(e.frameId()).isIn(Decision.MATCH, Decision.UNKNOWN_IDENTITY);
      });
      assertThat(after.values()).allSatisfy(e -> {
        assertThat(e.modelVersion()).isEqualTo(UpgradeBundles.VERSION);
        assertThat(e.decision()).as(e.frameId()).isEqualTo(Decision.MATCH);
      });
    }
    Map<String, IdentityTemplates> latest = new HashMap<>();
    for (ConsumerRecord<String, IdentityTemplates> r : KafkaTestSupport.consume(bootstrap,
        topics.identityTemplates().name(), Topics.TEMPLATES_SERDE.deserializer(), 2 * identities,
        ReliabilityFixtures.WAIT, r -> true)) {
      latest.put(r.key(), r.value());
    }
    assertThat(latest).hasSize(identities);
    assertThat(latest.values()).allSatisfy(t -> assertThat(t.modelVersion()).isEqualTo(UpgradeBundles.VERSION));
  }

  /** {@code count} genuine claims of identities id-0…; returns their events by frame id. */
  private static Map<String, MatchEvent> verifyClaims(Topics topics, String prefix, int first, int count) {
    produceClaims(topics, prefix, first, count);
    return awaitClaims(topics, prefix, count);
  }

  private static void produceClaims(Topics topics, String prefix, int first, int count) {
    List<ProducerRecord<String, byte[]>> frames = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int identity = first + i;
      frames.add(ReliabilityFixtures.frame(topics, prefix + "-" + i, "cam-" + (i % 3), 100 + identity, 9,
          "id-" + identity));
    }
    KafkaTestSupport.produce(KAFKA.bootstrapServers(), frames);
  }

  private static Map<String, MatchEvent> awaitClaims(Topics topics, String prefix, int count) {
    List<ConsumerRecord<String, MatchEvent>> events = KafkaTestSupport.consume(KAFKA.bootstrapServers(),
        topics.matchEvents().name(), Topics.MATCH_EVENT_SERDE.deserializer(), count, ReliabilityFixtures.WAIT,
        r -> r.value().frameId().startsWith(prefix + "-"));
    assertThat(events).hasSize(count);
    Map<String, MatchEvent> byFrame = new HashMap<>();
    events.forEach(r -> byFrame.put(r.value().frameId(), r.value()));
    return byFrame;
  }
}
