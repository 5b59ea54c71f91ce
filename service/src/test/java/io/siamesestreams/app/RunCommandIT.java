package io.siamesestreams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.identity.IdentityEnrollment;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code siamese run} as its own JVM, the way an operator starts it, against a real broker. */
class RunCommandIT {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @TempDir
  Path dir;

  private Process startRun(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), ServiceCli.class.getName(), "run"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile())
        .start();
  }

  @Test
  void shouldServeFramesFromAConfigFileSetupAndStopCleanlyOnSigterm() throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    Topics topics = Topics.prefixed("cli-");
    KafkaTestSupport.createTopics(bootstrap, topics.names().stream().map(n -> KafkaTestSupport.topic(n, 1))
        .toArray(org.apache.kafka.clients.admin.NewTopic[]::new));
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    Path config = dir.resolve("service.properties");
    StringBuilder properties = new StringBuilder("commit.interval.ms=100\n");
    properties.append(Topics.FRAMES_CONFIG).append('=').append(topics.frames().name()).append('\n')
        .append(Topics.IDENTITIES_CONFIG).append('=').append(topics.identities().name()).append('\n')
        .append(Topics.IDENTITY_TEMPLATES_CONFIG).append('=').append(topics.identityTemplates().name()).append('\n')
        .append(Topics.MATCH_EVENTS_CONFIG).append('=').append(topics.matchEvents().name()).append('\n')
        .append(Topics.FRAMES_DLQ_CONFIG).append('=').append(topics.framesDlq().name()).append('\n');
    Files.writeString(config, properties);

    Process run = startRun("--bootstrap", bootstrap, "--model", bundle.toString(), "--config", config.toString(),
        "--state-dir", dir.resolve("state").toString(), "--application-id", "cli-app");
    try {
      KafkaTestSupport.produce(bootstrap, List.of(new ProducerRecord<>(topics.identities().name(), "alice",
          Topics.ENROLLMENT_SERDE.toBytes(new IdentityEnrollment("alice", "Alice",
              List.of(TestBundles.identityImageBase64(1, 0)))))));
      assertThat(KafkaTestSupport.consumeBytes(bootstrap, topics.identityTemplates().name(), 1,
          Duration.ofSeconds(60))).hasSize(1);
      Frame frame = new Frame("cli-frame-1", "door", 1L, TestBundles.identityImageBase64(1, 3), "alice", null);
      KafkaTestSupport.produce(bootstrap, List.of(
          new ProducerRecord<>(topics.frames().name(), "door", Topics.FRAME_SERDE.toBytes(frame))));

      List<ConsumerRecord<String, MatchEvent>> events = KafkaTestSupport.consume(bootstrap,
          topics.matchEvents().name(), Topics.MATCH_EVENT_SERDE.deserializer(), 1, Duration.ofSeconds(60), r -> true);
      assertThat(events).singleElement().satisfies(e -> {
        assertThat(e.value().frameId()).isEqualTo("cli-frame-1");
        assertThat(e.value().decision()).isEqualTo(Decision.MATCH);
      });
    } finally {
      run.destroy();
      assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("run stops on SIGTERM").isTrue();
    }
    String log = Files.readString(dir.resolve("run.log"), StandardCharsets.UTF_8);
    assertThat(log).contains("siamese service starting: model " + TestBundles.MODEL_ID + " version "
        + TestBundles.MODEL_VERSION).contains(topics.frames().name()).contains("exactly_once_v2");
    assertThat(log).contains("-> NOT_RUNNING");
  }

  @Test
  void shouldExitWithStatusTwoAndTheValidationMessageForABadBundle() throws Exception {
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    Files.writeString(bundle.resolve("model.json"), "{\"formatVersion\": 1");

    Process run = startRun("--bootstrap", KAFKA.bootstrapServers(), "--model", bundle.toString());

    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("run.log"))).contains("bad model bundle").contains("model.json");
  }
}
