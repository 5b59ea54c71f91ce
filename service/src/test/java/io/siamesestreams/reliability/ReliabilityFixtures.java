package io.siamesestreams.reliability;

import io.siamesestreams.app.ServiceSettings;
import io.siamesestreams.config.ServiceConfig;
import io.siamesestreams.broker.ScramSecurity;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.identity.IdentityEnrollment;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Shared set-up of the reliability scenarios: topics with a prefix, service settings tuned for fast
 * recovery (100 ms commits, 6 s session timeout: the broker's minimum), enrolments and frames made
 * from {@link TestBundles} images, and the service's properties file for a service in its own JVM.
 */
final class ReliabilityFixtures {

  /** The longest any single wait in these scenarios may take. */
  static final Duration WAIT = Duration.ofSeconds(90);

  private ReliabilityFixtures() {}

  /** Creates the five topics named {@code prefix + default}; {@code frames} gets {@code framePartitions}. */
  static Topics createTopics(String bootstrap, String prefix, int framePartitions) {
    Topics topics = Topics.prefixed(prefix);
    KafkaTestSupport.createTopics(bootstrap,
        KafkaTestSupport.topic(topics.frames().name(), framePartitions),
        KafkaTestSupport.topic(topics.identities().name(), 1),
        KafkaTestSupport.topic(topics.identityTemplates().name(), 1),
        KafkaTestSupport.topic(topics.matchEvents().name(), 2),
        KafkaTestSupport.topic(topics.framesDlq().name(), 1));
    return topics;
  }

  /** Kafka settings for a quick recovery after a crash or a broker restart. */
  static Properties fastRecoveryKafkaProperties() {
    Properties kafka = new Properties();
    kafka.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
    kafka.put("consumer.session.timeout.ms", "6000");
    kafka.put("consumer.heartbeat.interval.ms", "1000");
    return kafka;
  }

  /** In-process service settings: one stream thread, one ONNX thread, batches of 16 frames or 20 ms. */
  static ServiceSettings settings(String bootstrap, Path bundle, Topics topics, String applicationId, Path stateDir) {
    return ServiceSettings.of(Map.of(ServiceConfig.BOOTSTRAP_SERVERS, bootstrap, ServiceConfig.MODEL_DIR, bundle,
            ServiceConfig.APPLICATION_ID, applicationId, ServiceConfig.STATE_DIR, stateDir,
            ServiceConfig.BATCH_SIZE, 16, ServiceConfig.MAX_WAIT_MS, 20, ServiceConfig.TOP_K, 3,
            ServiceConfig.STREAM_THREADS, 1, ServiceConfig.ONNX_THREADS, 1))
        .with(fastRecoveryKafkaProperties())
        .with(topics.settings());
  }

  /**
   * Writes a {@code --config} file for {@code siamese run}: the topic names of {@code topics},
   * {@link #fastRecoveryKafkaProperties()} and {@code extra}; returns the file.
   */
  static Path serviceConfigFile(Path file, Topics topics, Map<String, String> extra) {
    Properties properties = fastRecoveryKafkaProperties();
    properties.put(Topics.FRAMES_CONFIG, topics.frames().name());
    properties.put(Topics.IDENTITIES_CONFIG, topics.identities().name());
    properties.put(Topics.IDENTITY_TEMPLATES_CONFIG, topics.identityTemplates().name());
    properties.put(Topics.MATCH_EVENTS_CONFIG, topics.matchEvents().name());
    properties.put(Topics.FRAMES_DLQ_CONFIG, topics.framesDlq().name());
    properties.putAll(extra);
    try (var out = Files.newOutputStream(file)) {
      properties.store(out, "siamese run configuration written by a reliability test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** The enrolment of {@code identityId} with two images of TestBundles identity {@code identity}. */
  static ProducerRecord<String, byte[]> enrolment(Topics topics, String identityId, int identity) {
    IdentityEnrollment enrollment = new IdentityEnrollment(identityId, identityId.toUpperCase(),
        List.of(TestBundles.identityImageBase64(identity, 0), TestBundles.identityImageBase64(identity, 1)));
    return new ProducerRecord<>(topics.identities().name(), identityId, Topics.ENROLLMENT_SERDE.toBytes(enrollment));
  }

  /** A tombstone that erases {@code identityId}. */
  static ProducerRecord<String, byte[]> erasure(Topics topics, String identityId) {
    return new ProducerRecord<>(topics.identities().name(), identityId, null);
  }

  /** A frame of TestBundles identity {@code identity}, variant {@code variant}; {@code claim} null = identify. */
  static ProducerRecord<String, byte[]> frame(Topics topics, String frameId, String camera, int identity,
      int variant, String claim) {
    Frame frame = new Frame(frameId, camera, System.currentTimeMillis(),
        TestBundles.identityImageBase64(identity, variant), claim, null);
    return new ProducerRecord<>(topics.frames().name(), camera, Topics.FRAME_SERDE.toBytes(frame));
  }

  /** An integer system property (e.g. {@code -Dreliability.frames=20000} on the Maven command line). */
  static int intProperty(String name, int defaultValue) {
    String value = System.getProperty(name);
    return value == null || value.isBlank() ? defaultValue : Integer.parseInt(value.trim());
  }

  /**
   * SCRAM credentials for the roles of {@code topics/acls.json} (users named like the roles) and the
   * super user {@code admin}, each with a fresh random password.
   */
  static ScramSecurity randomRoleCredentials() {
    return new ScramSecurity("admin", "admin-" + UUID.randomUUID(), Map.of(
        "gateway", "gateway-" + UUID.randomUUID(),
        "enroller", "enroller-" + UUID.randomUUID(),
        "subscriber", "subscriber-" + UUID.randomUUID(),
        "service", "service-" + UUID.randomUUID()));
  }
}
