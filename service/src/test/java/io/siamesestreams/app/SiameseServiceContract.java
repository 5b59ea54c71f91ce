package io.siamesestreams.app;

import static io.siamesestreams.config.ServiceConfig.APPLICATION_ID;
import static io.siamesestreams.config.ServiceConfig.BATCH_SIZE;
import static io.siamesestreams.config.ServiceConfig.BOOTSTRAP_SERVERS;
import static io.siamesestreams.config.ServiceConfig.MAX_WAIT_MS;
import static io.siamesestreams.config.ServiceConfig.MODEL_DIR;
import static io.siamesestreams.config.ServiceConfig.ONNX_THREADS;
import static io.siamesestreams.config.ServiceConfig.STATE_DIR;
import static io.siamesestreams.config.ServiceConfig.STREAM_THREADS;
import static io.siamesestreams.config.ServiceConfig.TOP_K;
import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.events.Mode;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.identity.IdentityEnrollment;
import io.siamesestreams.identity.IdentityTemplates;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.testing.KafkaTestCluster;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service end to end on a real broker, exactly-once, with a real (tiny) ONNX bundle: enrolment,
 * verify, identify, erasure, dead letters, and a restart that restores the gallery and the frames
 * still waiting in the batch buffer. A subclass supplies the broker: {@link SiameseServiceIT} (the
 * in-process KRaft broker) or {@link SiameseServiceContainerIT} (Testcontainers, where Docker exists).
 */
abstract class SiameseServiceContract {

  /** The broker the tests run against. */
  protected abstract KafkaTestCluster cluster();

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path bundleRoot;
  static Path bundle;

  @TempDir
  Path stateRoot;

  @BeforeAll
  static void writeBundle() {
    bundle = TestBundles.write(bundleRoot.resolve("bundle"));
  }

  private Topics createTopics(String prefix) {
    Topics topics = Topics.prefixed(prefix);
    KafkaTestSupport.createTopics(cluster().bootstrapServers(),
        KafkaTestSupport.topic(topics.frames().name(), 2),
        KafkaTestSupport.topic(topics.identities().name(), 1),
        KafkaTestSupport.topic(topics.identityTemplates().name(), 1),
        KafkaTestSupport.topic(topics.matchEvents().name(), 2),
        KafkaTestSupport.topic(topics.framesDlq().name(), 1));
    return topics;
  }

  private ServiceSettings settings(Topics topics, String applicationId, Path stateDir) {
    Properties kafka = new Properties();
    kafka.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
    kafka.put("consumer.session.timeout.ms", "10000");
    return ServiceSettings.of(Map.of(BOOTSTRAP_SERVERS, cluster().bootstrapServers(), MODEL_DIR, bundle,
            APPLICATION_ID, applicationId, STATE_DIR, stateDir, BATCH_SIZE, 4, MAX_WAIT_MS, 20, TOP_K, 3,
            STREAM_THREADS, 1, ONNX_THREADS, 1))
        .with(kafka)
        .with(topics.settings());
  }

  private static ProducerRecord<String, byte[]> enrolment(Topics topics, String identityId, int identity) {
    IdentityEnrollment enrollment = new IdentityEnrollment(identityId, identityId.toUpperCase(),
        List.of(TestBundles.identityImageBase64(identity, 0), TestBundles.identityImageBase64(identity, 1)));
    return new ProducerRecord<>(topics.identities().name(), identityId, Topics.ENROLLMENT_SERDE.toBytes(enrollment));
  }

  private static ProducerRecord<String, byte[]> frame(Topics topics, String frameId, String camera, int identity,
      int variant, String claim) {
    Frame frame = new Frame(frameId, camera, System.currentTimeMillis(),
        TestBundles.identityImageBase64(identity, variant), claim, null);
    return new ProducerRecord<>(topics.frames().name(), camera, Topics.FRAME_SERDE.toBytes(frame));
  }

  private List<ConsumerRecord<String, IdentityTemplates>> awaitTemplates(Topics topics, int count) {
    return KafkaTestSupport.consume(cluster().bootstrapServers(), topics.identityTemplates().name(),
        Topics.TEMPLATES_SERDE.deserializer(), count, WAIT, r -> true);
  }

  private Map<String, MatchEvent> awaitEvents(Topics topics, int count) {
    List<ConsumerRecord<String, MatchEvent>> records = KafkaTestSupport.consume(cluster().bootstrapServers(),
        topics.matchEvents().name(), Topics.MATCH_EVENT_SERDE.deserializer(), count, WAIT, r -> true);
    assertThat(records).as("match events").hasSize(count);
    Map<String, MatchEvent> byFrame = records.stream()
        .collect(Collectors.toMap(r -> r.value().frameId(), ConsumerRecord::value, (a, b) -> {
          throw new AssertionError("two events for frame " + a.frameId());
        }));
    assertThat(byFrame).hasSize(count);
    return byFrame;
  }

  @Test
  void shouldEnrolVerifyIdentifyEraseAndDeadLetterOnARealBroker() throws Exception {
    Topics topics = createTopics("flow-");
    try (SiameseService service = SiameseService.start(settings(topics, "flow-app", stateRoot.resolve("s")))) {
      service.awaitRunning(WAIT);
      KafkaTestSupport.produce(cluster().bootstrapServers(), List.of(enrolment(topics, "alice", 1),
          enrolment(topics, "bob", 2), enrolment(topics, "carol", 3)));
      List<ConsumerRecord<String, IdentityTemplates>> templates = awaitTemplates(topics, 3);
      assertThat(templates).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("alice", "bob", "carol");
      assertThat(templates).allSatisfy(r -> {
        assertThat(r.value().templates()).hasSize(2);
        assertThat(r.value().modelVersion()).isEqualTo(TestBundles.MODEL_VERSION);
      });

      List<ProducerRecord<String, byte[]>> frames = new ArrayList<>();
      frames.add(frame(topics, "genuine-1", "cam-a", 1, 5, "alice"));
      frames.add(frame(topics, "genuine-2", "cam-b", 2, 6, "bob"));
      frames.add(frame(topics, "impostor-1", "cam-a", 3, 7, "alice"));
      frames.add(frame(topics, "unknown-1", "cam-b", 1, 8, "mallory"));
      frames.add(frame(topics, "identify-1", "cam-a", 3, 9, null));
      frames.add(frame(topics, "identify-2", "cam-c", 2, 10, null));
      frames.add(new ProducerRecord<>(topics.frames().name(), "cam-a", "{not json".getBytes(StandardCharsets.UTF_8)));
      frames.add(new ProducerRecord<>(topics.frames().name(), "cam-b",
          "{\"frameId\":\"x\",\"cameraId\":\"cam-b\",\"timestamp\":1}".getBytes(StandardCharsets.UTF_8)));
      KafkaTestSupport.produce(cluster().bootstrapServers(), frames);

      Map<String, MatchEvent> events = awaitEvents(topics, 6);
      assertThat(events.get("genuine-1").decision()).isEqualTo(Decision.MATCH);
      assertThat(events.get("genuine-2").decision()).isEqualTo(Decision.MATCH);
      assertThat(events.get("impostor-1").decision()).isEqualTo(Decision.NO_MATCH);
      assertThat(events.get("unknown-1").decision()).isEqualTo(Decision.UNKNOWN_IDENTITY);
      assertThat(events.get("identify-1").mode()).isEqualTo(Mode.IDENTIFY);
      assertThat(events.get("identify-1").identityId()).isEqualTo("carol");
      assertThat(events.get("identify-1").candidates()).hasSize(3);
      assertThat(events.get("identify-2").identityId()).isEqualTo("bob");

      List<ConsumerRecord<String, byte[]>> deadLetters = KafkaTestSupport.consume(cluster().bootstrapServers(),
          topics.framesDlq().name(), new ByteArrayDeserializer(), 2, WAIT, r -> true);
      assertThat(deadLetters).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.REASON_HEADER))
          .containsExactlyInAnyOrder(DeadLetters.NOT_JSON, "MISSING_FIELD:image");
      assertThat(deadLetters).anySatisfy(r ->
          assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("{not json"));

      // Erasure: a tombstone on identities erases alice from the templates topic and the gallery.
      KafkaTestSupport.produce(cluster().bootstrapServers(),
          List.of(new ProducerRecord<>(topics.identities().name(), "alice", null)));
      List<ConsumerRecord<String, IdentityTemplates>> afterErasure = awaitTemplates(topics, 4);
      assertThat(afterErasure.get(3).key()).isEqualTo("alice");
      assertThat(afterErasure.get(3).value()).isNull();
      // The gallery reads the tombstone asynchronously (global thread): retry until alice is unknown.
      MatchEvent afterwards = null;
      for (int attempt = 0; attempt < 20; attempt++) {
        String frameId = "after-erasure-" + attempt;
        KafkaTestSupport.produce(cluster().bootstrapServers(), List.of(frame(topics, frameId, "cam-a", 1, 11, "alice")));
        afterwards = awaitEvents(topics, 7 + attempt).get(frameId);
        if (afterwards.decision() == Decision.UNKNOWN_IDENTITY) {
          break;
        }
      }
      assertThat(afterwards.decision()).isEqualTo(Decision.UNKNOWN_IDENTITY);
      assertThat(service.gallerySize()).isEqualTo(2);
      assertThat(service.ignoredTemplates()).isZero();
      assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }
  }

  @Test
  void shouldRestoreTheGalleryAndBufferedFramesAfterARestartWithAFreshStateDirectory() throws Exception {
    Topics topics = createTopics("restart-");
    ServiceSettings first = settings(topics, "restart-app", stateRoot.resolve("first"))
        .with(Map.of(BATCH_SIZE, 64, MAX_WAIT_MS, Duration.ofHours(1).toMillis()));
    int frameCount = 10;
    try (SiameseService service = SiameseService.start(first)) {
      service.awaitRunning(WAIT);
      KafkaTestSupport.produce(cluster().bootstrapServers(), List.of(enrolment(topics, "alice", 1)));
      assertThat(awaitTemplates(topics, 1)).hasSize(1);
      List<ProducerRecord<String, byte[]>> frames = new ArrayList<>();
      for (int i = 0; i < frameCount; i++) {
        frames.add(frame(topics, "buffered-" + i, "cam-" + (i % 3), 1, 20 + i, i % 2 == 0 ? "alice" : null));
      }
      KafkaTestSupport.produce(cluster().bootstrapServers(), frames);
      // The frames wait in the buffer (batch of 64, an hour's wait): their changelog fills, no event yet.
      String changelog = "restart-app-" + Topics.FRAME_BUFFER_STORE + "-changelog";
      assertThat(KafkaTestSupport.consume(cluster().bootstrapServers(), changelog, new ByteArrayDeserializer(),
          frameCount, WAIT, r -> r.value() != null)).hasSize(frameCount);
      assertThat(KafkaTestSupport.consumeBytes(cluster().bootstrapServers(), topics.matchEvents().name(), 1,
          Duration.ofMillis(500))).isEmpty();
    }

    // The input offsets were committed with the buffered frames: after the restart they come from the
    // buffer's changelog, not from re-reading the frames topic.
    assertThat(committedOffsets("restart-app", topics.frames().name())).isEqualTo(frameCount);

    ServiceSettings second = settings(topics, "restart-app", stateRoot.resolve("second"))
        .with(Map.of(BATCH_SIZE, 64, MAX_WAIT_MS, 20));
    try (SiameseService service = SiameseService.start(second)) {
      service.awaitRunning(WAIT);
      // The global gallery is restored from identity-templates before the stream thread runs.
      assertThat(service.gallerySize()).isEqualTo(1);
      Map<String, MatchEvent> events = awaitEvents(topics, frameCount);
      for (int i = 0; i < frameCount; i++) {
        MatchEvent event = events.get("buffered-" + i);
        assertThat(event).as("event of buffered-" + i).isNotNull();
        assertThat(event.decision()).as("buffered-" + i).isEqualTo(Decision.MATCH);
        assertThat(event.identityId()).isEqualTo("alice");
      }
      // Nothing processed twice: still exactly one event per frame a moment later.
      assertThat(KafkaTestSupport.consumeBytes(cluster().bootstrapServers(), topics.matchEvents().name(),
          frameCount + 1, Duration.ofSeconds(2))).hasSize(frameCount);
    }
  }

  /** Sum of the consumer group's committed offsets on {@code topic}. */
  private long committedOffsets(String groupId, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster().bootstrapServers()))) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      return offsets.entrySet().stream()
          .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
          .mapToLong(e -> e.getValue().offset())
          .sum();
    }
  }
}
