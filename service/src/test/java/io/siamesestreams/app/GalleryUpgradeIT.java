package io.siamesestreams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.identity.IdentityTemplates;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GalleryUpgrade} against a real broker: the group's committed offsets on the enrolment
 * topic, the templates on the derived topic and the group's members decide whether the enrolments
 * are rewound. Group members are plain consumers whose client ids carry (or not) the model tag.
 */
class GalleryUpgradeIT {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static final String MODEL = "encoder";

  @Test
  void shouldDoNothingForAGroupThatNeverCommitted() {
    Fixture f = new Fixture("fresh");
    f.templates(Map.of("alice", "1"));

    GalleryUpgrade.Result result = f.prepare("2", Duration.ofSeconds(5));

    assertThat(result.outcome()).isEqualTo(GalleryUpgrade.Outcome.NEW_GROUP);
    assertThat(f.committed()).isEmpty();
  }

  @Test
  void shouldLeaveTheOffsetsAloneWhenEveryLiveTemplateIsFromTheLoadedModel() {
    Fixture f = new Fixture("current");
    f.commitEnrolments();
    f.templates(Map.of("alice", "1", "bob", "2", "carol", "2"));
    f.erase("alice");

    GalleryUpgrade.Result result = f.prepare("2", Duration.ofSeconds(5));

    assertThat(result.outcome()).isEqualTo(GalleryUpgrade.Outcome.UP_TO_DATE);
    assertThat(result.identitiesByModel()).containsExactly(Map.entry(GalleryUpgrade.modelKey(MODEL, "2"), 2));
    assertThat(f.committed()).isEqualTo(Map.of(0, 3L, 1, 3L));
  }

  @Test
  void shouldRewindTheEnrolmentsWhenTemplatesComeFromAnotherModel() {
    Fixture f = new Fixture("rewind");
    f.commitEnrolments();
    f.templates(Map.of("alice", "1", "bob", "2"));

    GalleryUpgrade.Result result = f.prepare("2", Duration.ofSeconds(5));

    assertThat(result.outcome()).isEqualTo(GalleryUpgrade.Outcome.REWOUND);
    assertThat(result.otherModelIdentities(GalleryUpgrade.modelKey(MODEL, "2"))).isEqualTo(1);
    assertThat(result.rewound()).hasSize(2).allSatisfy((tp, previous) -> assertThat(previous).isEqualTo(3L));
    assertThat(f.committed()).isEqualTo(Map.of(0, 0L, 1, 0L));
  }

  @Test
  void shouldJoinAnInstanceOfTheLoadedModelThatIsAlreadyReembedding() throws Exception {
    Fixture f = new Fixture("joining");
    f.commitEnrolments();
    f.templates(Map.of("alice", "1"));
    try (Member member = Member.join(f, GalleryUpgrade.clientIdTag(MODEL, "2") + "-other-instance")) {
      GalleryUpgrade.Result result = f.prepare("2", Duration.ofSeconds(5));

      assertThat(result.outcome()).isEqualTo(GalleryUpgrade.Outcome.IN_PROGRESS);
    }
    assertThat(f.committed()).containsEntry(0, 3L);
  }

  @Test
  void shouldRefuseToStartWhileAnInstanceOfTheOldModelKeepsRunning() throws Exception {
    Fixture f = new Fixture("refuse");
    f.commitEnrolments();
    f.templates(Map.of("alice", "1"));
    try (Member member = Member.join(f, GalleryUpgrade.clientIdTag(MODEL, "1") + "-old-instance")) {
      assertThatThrownBy(() -> f.prepare("2", Duration.ofSeconds(3)))
          .isInstanceOf(GalleryUpgrade.GalleryUpgradeException.class)
          .hasMessageContaining("1 identities were embedded by another model")
          .hasMessageContaining("old-instance")
          .hasMessageContaining("Stop every instance of the other model");
    }
    assertThat(f.committed()).containsEntry(0, 3L);
  }

  @Test
  void shouldWaitForAStoppedMemberToLeaveTheGroupThenRewind() throws Exception {
    Fixture f = new Fixture("stale");
    f.commitEnrolments();
    f.templates(Map.of("alice", "1"));
    Member member = Member.join(f, "old-model-without-tag");
    member.stopPolling();  // like a crashed instance: still a member until its poll interval runs out
    long start = System.nanoTime();
    try {
      GalleryUpgrade.Result result = f.prepare("2", Duration.ofSeconds(60));
      long waitedMs = (System.nanoTime() - start) / 1_000_000;

      assertThat(result.outcome()).isEqualTo(GalleryUpgrade.Outcome.REWOUND);
      assertThat(waitedMs).isGreaterThan(1_000);
      assertThat(f.committed()).isEqualTo(Map.of(0, 0L, 1, 0L));
    } finally {
      member.close();
    }
  }

  @Test
  void shouldReadOnlyTheTemplatesWrittenSinceTheLastCheck(@TempDir Path state) {
    Fixture f = new Fixture("incremental");
    Path checkpoint = state.resolve("app.gallery-check");
    f.commitEnrolments();
    f.templates(Map.of("alice", "2", "bob", "2"));

    GalleryUpgrade.Result first = f.prepare("2", Duration.ofSeconds(5), checkpoint);
    f.templates(Map.of("carol", "2"));
    GalleryUpgrade.Result second = f.prepare("2", Duration.ofSeconds(5), checkpoint);
    f.templates(Map.of("dave", "1"));
    GalleryUpgrade.Result third = f.prepare("2", Duration.ofSeconds(5), checkpoint);

    String current = GalleryUpgrade.modelKey(MODEL, "2");
    assertThat(first.outcome()).isEqualTo(GalleryUpgrade.Outcome.UP_TO_DATE);
    assertThat(first.sinceLastCheck()).isFalse();
    assertThat(first.identitiesByModel()).containsExactly(Map.entry(current, 2));
    assertThat(second.outcome()).isEqualTo(GalleryUpgrade.Outcome.UP_TO_DATE);
    assertThat(second.sinceLastCheck()).isTrue();
    assertThat(second.identitiesByModel()).as("only carol was read").containsExactly(Map.entry(current, 1));
    assertThat(third.outcome()).isEqualTo(GalleryUpgrade.Outcome.REWOUND);
    assertThat(third.identitiesByModel()).containsExactly(Map.entry(GalleryUpgrade.modelKey(MODEL, "1"), 1));
    assertThat(checkpoint).as("no check to build on while re-embedding").doesNotExist();
    assertThat(f.committed()).isEqualTo(Map.of(0, 0L, 1, 0L));
  }

  @Test
  void shouldReadTheWholeTopicWhenTheLastCheckWasOfAnotherModel(@TempDir Path state) {
    Fixture f = new Fixture("other-check");
    Path checkpoint = state.resolve("app.gallery-check");
    f.commitEnrolments();
    f.templates(Map.of("alice", "1"));
    assertThat(f.prepare("1", Duration.ofSeconds(5), checkpoint).outcome())
        .isEqualTo(GalleryUpgrade.Outcome.UP_TO_DATE);

    GalleryUpgrade.Result upgrade = f.prepare("2", Duration.ofSeconds(5), checkpoint);

    assertThat(upgrade.sinceLastCheck()).isFalse();
    assertThat(upgrade.outcome()).isEqualTo(GalleryUpgrade.Outcome.REWOUND);
  }

  /** Two partitions of enrolments with three records each, a templates topic, an application id. */
  private static final class Fixture {
    final String applicationId;
    final String identities;
    final String templates;

    Fixture(String name) {
      applicationId = "upgrade-" + name;
      identities = name + "-identities";
      templates = name + "-identity-templates";
      KafkaTestSupport.createTopics(KAFKA.bootstrapServers(), KafkaTestSupport.topic(identities, 2),
          KafkaTestSupport.topic(templates, 1));
      List<ProducerRecord<String, byte[]>> enrolments = new ArrayList<>();
      for (int partition = 0; partition < 2; partition++) {
        for (int i = 0; i < 3; i++) {
          enrolments.add(new ProducerRecord<>(identities, partition, "id-" + i, "{}".getBytes(StandardCharsets.UTF_8)));
        }
      }
      KafkaTestSupport.produce(KAFKA.bootstrapServers(), enrolments);
    }

    /** The group has consumed every enrolment (offset 3 on both partitions). */
    void commitEnrolments() {
      try (Admin admin = admin()) {
        admin.alterConsumerGroupOffsets(applicationId, Map.of(
            new TopicPartition(identities, 0), new OffsetAndMetadata(3),
            new TopicPartition(identities, 1), new OffsetAndMetadata(3))).all().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    /** One templates record per identity, produced by model version {@code versionByIdentity}. */
    void templates(Map<String, String> versionByIdentity) {
      List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
      versionByIdentity.forEach((identity, version) -> records.add(new ProducerRecord<>(templates, identity,
          Topics.TEMPLATES_SERDE.serializer().serialize(templates, new IdentityTemplates(identity, null, MODEL,
              version, List.of(new float[] {0.6f, 0.8f}), 0L)))));
      KafkaTestSupport.produce(KAFKA.bootstrapServers(), records);
    }

    void erase(String identity) {
      KafkaTestSupport.produce(KAFKA.bootstrapServers(), List.of(new ProducerRecord<>(templates, identity, null)));
    }

    GalleryUpgrade.Result prepare(String modelVersion, Duration memberWait) {
      return prepare(modelVersion, memberWait, null);
    }

    GalleryUpgrade.Result prepare(String modelVersion, Duration memberWait, Path checkpoint) {
      Map<String, Object> streams = new HashMap<>();
      streams.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
      streams.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
      return GalleryUpgrade.prepare(streams, identities, templates, MODEL, modelVersion, memberWait, checkpoint);
    }

    /** The group's committed offsets on the enrolment topic, by partition. */
    Map<Integer, Long> committed() {
      try (Admin admin = admin()) {
        Map<Integer, Long> offsets = new HashMap<>();
        admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
            .forEach((tp, offset) -> {
              if (tp.topic().equals(identities)) {
                offsets.put(tp.partition(), offset.offset());
              }
            });
        return offsets;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    private static Admin admin() {
      return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()));
    }
  }

  /** A member of the application's group that polls on its own thread until stopped. */
  private static final class Member implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AtomicBoolean polling = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean joined = new AtomicBoolean();
    private final Thread thread;

    private Member(KafkaConsumer<byte[], byte[]> consumer) {
      this.consumer = consumer;
      this.thread = new Thread(this::run, "group-member");
    }

    static Member join(Fixture fixture, String clientId) throws InterruptedException {
      Map<String, Object> config = new HashMap<>();
      config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
      config.put(ConsumerConfig.GROUP_ID_CONFIG, fixture.applicationId);
      config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
      config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
      config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 4_000);
      Member member = new Member(new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
      member.consumer.subscribe(List.of(fixture.identities));
      member.thread.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!member.joined.get() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      return member;
    }

    private void run() {
      while (!closed.get()) {
        if (polling.get()) {
          consumer.poll(Duration.ofMillis(100));
          joined.set(!consumer.assignment().isEmpty());
        } else {
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
      consumer.close(Duration.ofSeconds(5));
    }

    void stopPolling() {
      polling.set(false);
    }

    @Override
    public void close() throws InterruptedException {
      closed.set(true);
      thread.join(15_000);
    }
  }
}
