package io.siamesestreams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.identity.IdentityEnrollment;
import io.siamesestreams.model.LoadedModel;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.Topics;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code siamese run} as its own JVM against a real broker, with a per-camera threshold in its
 * {@code --config} file: the same genuine face is accepted at a camera deciding with the bundle's
 * threshold and rejected at the camera with a stricter one, and each event carries its threshold.
 */
class CameraThresholdsIT {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @TempDir
  Path dir;

  /** The distance between identity 1's images 0 (enrolled) and 3 (the frame), by the bundle's encoder. */
  private static double genuineDistance(Path bundle) throws Exception {
    try (LoadedModel model = LoadedModel.open(bundle, 1)) {
      FloatBuffer pixels = model.encoder().preprocessor().allocate(2);
      model.encoder().preprocessor().putEncoded(TestBundles.identityImage(1, 0), pixels);
      model.encoder().preprocessor().putEncoded(TestBundles.identityImage(1, 3), pixels);
      float[] embeddings = model.encoder().embed(pixels, 2);
      int d = TestBundles.DIMENSION;
      return model.distance().between(embeddings, 0, embeddings, d, d);
    }
  }

  @Test
  void shouldRejectAtTheCameraWithAStricterThresholdFromTheConfigFileWhatAnotherCameraAccepts() throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    Topics topics = Topics.prefixed("thresholds-");
    KafkaTestSupport.createTopics(bootstrap, topics.names().stream().map(n -> KafkaTestSupport.topic(n, 1))
        .toArray(NewTopic[]::new));
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    double distance = genuineDistance(bundle);
    assertThat(distance).as("genuine distance under the bundle's threshold").isLessThan(TestBundles.THRESHOLD);
    double strict = distance / 2;
    Path config = dir.resolve("service.properties");
    Files.writeString(config, String.join("\n",
        "commit.interval.ms=100",
        Topics.FRAMES_CONFIG + "=" + topics.frames().name(),
        Topics.IDENTITIES_CONFIG + "=" + topics.identities().name(),
        Topics.IDENTITY_TEMPLATES_CONFIG + "=" + topics.identityTemplates().name(),
        Topics.MATCH_EVENTS_CONFIG + "=" + topics.matchEvents().name(),
        Topics.FRAMES_DLQ_CONFIG + "=" + topics.framesDlq().name(),
        "siamese.camera.server-room.threshold=" + strict), StandardCharsets.UTF_8);

    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), ServiceCli.class.getName(), "run",
        "--bootstrap", bootstrap, "--model", bundle.toString(), "--config", config.toString(),
        "--state-dir", dir.resolve("state").toString(), "--application-id", "thresholds-app", "--metrics-port", "0"));
    Process run = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("run.log").toFile()).start();
    try {
      KafkaTestSupport.produce(bootstrap, List.of(new ProducerRecord<>(topics.identities().name(), "alice",
          Topics.ENROLLMENT_SERDE.toBytes(new IdentityEnrollment("alice", "Alice",
              List.of(TestBundles.identityImageBase64(1, 0)))))));
      assertThat(KafkaTestSupport.consumeBytes(bootstrap, topics.identityTemplates().name(), 1,
          Duration.ofSeconds(60))).hasSize(1);
      String image = TestBundles.identityImageBase64(1, 3);
      KafkaTestSupport.produce(bootstrap, List.of(
          new ProducerRecord<>(topics.frames().name(), "lobby",
              Topics.FRAME_SERDE.toBytes(new Frame("lobby-1", "lobby", 1L, image, "alice", null))),
          new ProducerRecord<>(topics.frames().name(), "server-room",
              Topics.FRAME_SERDE.toBytes(new Frame("server-room-1", "server-room", 2L, image, "alice", null)))));

      List<MatchEvent> events = KafkaTestSupport.consume(bootstrap, topics.matchEvents().name(),
              Topics.MATCH_EVENT_SERDE.deserializer(), 2, Duration.ofSeconds(60), r -> true).stream()
          .map(ConsumerRecord::value).sorted(Comparator.comparing(MatchEvent::cameraId)).toList();

      assertThat(events).extracting(MatchEvent::cameraId).containsExactly("lobby", "server-room");
      assertThat(events).allSatisfy(e -> assertThat(e.distance()).isCloseTo(distance, within(1e-5)));
      assertThat(events).extracting(MatchEvent::decision).containsExactly(Decision.MATCH, Decision.NO_MATCH);
      assertThat(events).extracting(MatchEvent::threshold).containsExactly(TestBundles.THRESHOLD, strict);
    } finally {
      run.destroy();
      assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("run stops on SIGTERM").isTrue();
    }
  }
}
