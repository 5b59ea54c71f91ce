package io.siamesestreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.config.ServiceConfig;
import io.siamesestreams.app.ServiceSettings;
import io.siamesestreams.app.SiameseService;
import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.events.Mode;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.testing.TopicSchemas;
import io.siamesestreams.topology.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line tools against a real broker and the real service, as an operator would use them:
 * topics apply → enroll → produce → watch, plus dead letters and erasure. Everything on the wire is
 * checked against topics/schemas.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandLineToolsIT {

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
  @TempDir static Path dir;
  private static SiameseService service;

  /** Runs {@code siamese args…}; returns its status and what it printed on stdout. */
  private record Run(int status, String stdout) {}

  private static Run siamese(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setOut(out);
      int status = SiameseCli.newCommandLine().execute(args);
      return new Run(status, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }

  private static Path images(String name, int identity, int... variants) throws Exception {
    Path folder = Files.createDirectories(dir.resolve(name));
    for (int variant : variants) {
      Files.write(folder.resolve(String.format("%s-%02d.png", name, variant)), TestBundles.identityImage(identity, variant));
    }
    return folder;
  }

  @BeforeAll
  static void startTheService() {
    Run apply = siamese("topics", "apply", "--bootstrap", KAFKA.bootstrapServers());
    assertThat(apply.status()).isZero();
    assertThat(apply.stdout().lines()).hasSize(5).allMatch(line -> line.endsWith(": CREATED"));

    ServiceSettings settings = ServiceSettings.of(Map.of(ServiceConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        ServiceConfig.MODEL_DIR, TestBundles.write(dir.resolve("bundle")), ServiceConfig.STATE_DIR, dir.resolve("state"),
        ServiceConfig.APPLICATION_ID, "cli-it"));
    service = SiameseService.start(settings);
    service.awaitRunning(Duration.ofSeconds(90));
  }

  @AfterAll
  static void stopTheService() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  @Order(1)
  void shouldReportTopicsOkOnASecondApply() {
    Run again = siamese("topics", "apply", "--bootstrap", KAFKA.bootstrapServers());

    assertThat(again.status()).isZero();
    assertThat(again.stdout().lines()).hasSize(5).allMatch(line -> line.endsWith(": OK"));
  }

  @Test
  @Order(2)
  void shouldEnrolIdentitiesFromImageFolders() throws Exception {
    assertThat(siamese("enroll", "--bootstrap", KAFKA.bootstrapServers(), "--identity", "alice", "--name", "Alice",
        "--images", images("alice", 0, 0, 1, 2).toString()).status()).isZero();
    assertThat(siamese("enroll", "--bootstrap", KAFKA.bootstrapServers(), "--identity", "bob",
        "--images", images("bob", 1, 0, 1, 2).toString()).status()).isZero();

    List<ConsumerRecord<String, byte[]>> templates = KafkaTestSupport.consumeBytes(
        KAFKA.bootstrapServers(), Topics.DEFAULT_IDENTITY_TEMPLATES, 2, Duration.ofSeconds(60));
    List<ConsumerRecord<String, byte[]>> enrolments = KafkaTestSupport.consumeBytes(
        KAFKA.bootstrapServers(), Topics.DEFAULT_IDENTITIES, 2, Duration.ofSeconds(10));

    assertThat(templates).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("alice", "bob");
    assertThat(templates).allSatisfy(record ->
        assertThat(TopicSchemas.violations(TopicSchemas.IDENTITY_TEMPLATES, record.value())).isEmpty());
    assertThat(Topics.TEMPLATES_SERDE.fromBytes(templates.get(0).value()).templates()).hasSize(3);
    assertThat(enrolments).allSatisfy(record ->
        assertThat(TopicSchemas.violations(TopicSchemas.IDENTITY, record.value())).isEmpty());
  }

  @Test
  @Order(3)
  void shouldVerifyAndIdentifyProducedFramesAndWatchTheEvents() throws Exception {
    Run claimed = siamese("produce", "--bootstrap", KAFKA.bootstrapServers(), "--camera", "gate-1",
        "--images", images("alice-probe", 0, 7).toString(), "--claim", "alice", "--fps", "0");
    Run unclaimed = siamese("produce", "--bootstrap", KAFKA.bootstrapServers(), "--camera", "gate-2",
        "--images", images("bob-probe", 1, 8).toString(), "--fps", "0", "--count", "2");
    assertThat(claimed.status()).isZero();
    assertThat(unclaimed.stdout().lines()).hasSize(2);

    List<ConsumerRecord<String, byte[]>> events = KafkaTestSupport.consumeBytes(
        KAFKA.bootstrapServers(), Topics.DEFAULT_MATCH_EVENTS, 3, Duration.ofSeconds(60));
    Run watched = siamese("watch", "--bootstrap", KAFKA.bootstrapServers(), "--from-beginning", "--max", "3",
        "--timeout", "30");

    assertThat(events).hasSize(3).allSatisfy(record ->
        assertThat(TopicSchemas.violations(TopicSchemas.MATCH_EVENT, record.value())).isEmpty());
    List<MatchEvent> parsed = events.stream().map(r -> Topics.MATCH_EVENT_SERDE.fromBytes(r.value())).toList();
    assertThat(parsed).filteredOn(e -> e.mode() == Mode.VERIFY).singleElement().satisfies(e -> {
      assertThat(e.identityId()).isEqualTo("alice");
      assertThat(e.decision()).isEqualTo(Decision.MATCH);
      assertThat(e.frameId()).isEqualTo(claimed.stdout().lines().findFirst().orElseThrow().split(" ")[0]);
    });
    assertThat(parsed).filteredOn(e -> e.mode() == Mode.IDENTIFY).hasSize(2)
        .allSatisfy(e -> assertThat(e.identityId()).isEqualTo("bob"));
    assertThat(watched.stdout().lines()).hasSize(3)
        .anyMatch(line -> line.contains(" gate-1 VERIFY MATCH identity=alice "))
        .anyMatch(line -> line.contains(" gate-2 IDENTIFY ") && line.contains("candidates=bob:"));
  }

  @Test
  @Order(4)
  void shouldShowDeadLettersWithTheirReason() {
    KafkaTestSupport.produce(KAFKA.bootstrapServers(), List.of(
        new ProducerRecord<>(Topics.DEFAULT_FRAMES, "gate-3", "not json at all".getBytes(StandardCharsets.UTF_8))));

    List<ConsumerRecord<String, byte[]>> deadLetters = KafkaTestSupport.consume(KAFKA.bootstrapServers(),
        Topics.DEFAULT_FRAMES_DLQ, new ByteArrayDeserializer(), 1, Duration.ofSeconds(60), r -> true);
    Run watched = siamese("watch", "--bootstrap", KAFKA.bootstrapServers(), "--dlq", "--from-beginning", "--max", "1",
        "--timeout", "30");

    assertThat(deadLetters).singleElement().satisfies(record -> {
      assertThat(record.value()).isEqualTo("not json at all".getBytes(StandardCharsets.UTF_8));
      assertThat(DeadLetters.header(record.headers(), DeadLetters.REASON_HEADER)).isEqualTo(DeadLetters.NOT_JSON);
      assertThat(TopicSchemas.violations(TopicSchemas.DEAD_LETTER_HEADERS, TopicSchemas.headersAsJson(record.headers())))
          .isEmpty();
    });
    assertThat(watched.stdout().lines()).singleElement().asString()
        .contains("DEAD_LETTER reason=NOT_JSON", "source=frames/", "key=gate-3", "bytes=15");
  }

  @Test
  @Order(5)
  void shouldEraseAnIdentity() {
    assertThat(siamese("enroll", "--bootstrap", KAFKA.bootstrapServers(), "--identity", "bob", "--erase").status())
        .isZero();

    List<ConsumerRecord<String, byte[]>> tombstones = KafkaTestSupport.consume(KAFKA.bootstrapServers(),
        Topics.DEFAULT_IDENTITY_TEMPLATES, new ByteArrayDeserializer(), 1, Duration.ofSeconds(60),
        record -> record.key().equals("bob") && record.value() == null);

    assertThat(tombstones).hasSize(1);
  }

  @Test
  @Order(6)
  void shouldFailClearlyWithoutABootstrapServer() {
    assertThat(siamese("watch").status()).isEqualTo(1);
    assertThat(siamese("produce", "--camera", "c", "--images", dir.resolve("alice").toString()).status()).isEqualTo(1);
  }
}
