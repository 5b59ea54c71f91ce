package io.siamesestreams.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestSupport;
import io.siamesestreams.testing.TestBundles;
import io.siamesestreams.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 8 of docs/RELIABILITY.md: {@code siamese run} as its own JVM with a bad model bundle or
 * a bad configuration stops at start-up with a message that names the problem and exit status 2,
 * and has consumed nothing: its consumer group never appears on the broker although a frame waits.
 */
class BadModelOrConfigStartupIT {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static final Duration EXIT_WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path shared;
  static Topics topics;
  static Path config;

  @TempDir
  Path dir;

  @BeforeAll
  static void createTopicsWithAWaitingFrame() {
    topics = ReliabilityFixtures.createTopics(KAFKA.bootstrapServers(), "bad-", 1);
    config = ReliabilityFixtures.serviceConfigFile(shared.resolve("service.properties"), topics, Map.of());
    KafkaTestSupport.produce(KAFKA.bootstrapServers(),
        List.of(ReliabilityFixtures.frame(topics, "waiting-1", "cam-1", 1, 0, null)));
  }

  /** Runs {@code siamese run} with {@code model} and extra arguments; returns exit status and output. */
  private Outcome run(String applicationId, Path model, String... extra) throws Exception {
    return run(applicationId, model, config, extra);
  }

  /** {@link #run(String, Path, String...)} with {@code configFile} as {@code --config}. */
  private Outcome run(String applicationId, Path model, Path configFile, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "--bootstrap", KAFKA.bootstrapServers(),
        "--model", model.toString(), "--config", configFile.toString(), "--application-id", applicationId,
        "--state-dir", dir.resolve("state").toString(), "--metrics-port", "0"));
    args.addAll(List.of(extra));
    long start = System.nanoTime();
    try (ServiceProcess run = ServiceProcess.start(dir.resolve(applicationId + ".log"), args)) {
      int status = run.awaitExit(EXIT_WAIT);
      long millis = (System.nanoTime() - start) / 1_000_000;
      String log = run.log();
      String message = log.lines().filter(l -> l.startsWith("siamese run:")).findFirst().orElse("(no message)");
      System.out.printf("RELIABILITY bad-startup %s: exit %d after %d ms: %s%n", applicationId, status, millis,
          message);
      return new Outcome(status, log);
    }
  }

  private record Outcome(int status, String log) {}

  private static void assertNothingConsumed(String applicationId) throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
      List<String> groups = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
          .map(GroupListing::groupId).toList();
      assertThat(groups).as("consumer groups on the broker").doesNotContain(applicationId);
    }
  }

  @Test
  void shouldRefuseAMissingBundleDirectory() throws Exception {
    Outcome outcome = run("missing-dir", dir.resolve("no-such-bundle"));

    assertThat(outcome.status()).as(outcome.log()).isEqualTo(2);
    assertThat(outcome.log()).contains("bad model bundle").contains("no-such-bundle");
    assertNothingConsumed("missing-dir");
  }

  @Test
  void shouldRefuseABundleWithoutItsEncoderFile() throws Exception {
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    Files.delete(bundle.resolve(ModelManifest.ENCODER_FILE));

    Outcome outcome = run("missing-encoder", bundle);

    assertThat(outcome.status()).as(outcome.log()).isEqualTo(2);
    assertThat(outcome.log()).contains("bad model bundle").contains(ModelManifest.ENCODER_FILE);
    assertNothingConsumed("missing-encoder");
  }

  @Test
  void shouldRefuseAManifestWhoseInputDimensionsDisagreeWithTheEncoder() throws Exception {
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    ModelManifest good = TestBundles.manifest(TestBundles.MODEL_VERSION, true);
    ModelManifest.Input input = good.input();
    ModelManifest wrong = new ModelManifest(good.formatVersion(), good.modelId(), good.modelVersion(),
        good.createdAt(), new ModelManifest.Input(input.tensorName(), input.layout(), input.channels(), 32, 32,
            input.colorMode(), input.resize(), input.mean(), input.std()),
        good.output(), good.distance(), good.decision(), good.head(), good.provenance(), good.evaluation());
    ModelBundle.writeManifest(bundle, wrong);

    Outcome outcome = run("wrong-dimensions", bundle);

    assertThat(outcome.status()).as(outcome.log()).isEqualTo(2);
    assertThat(outcome.log()).contains("bad model bundle").contains("32");
    assertNothingConsumed("wrong-dimensions");
  }

  @Test
  void shouldRefuseACorruptOnnxEncoder() throws Exception {
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    byte[] garbage = new byte[4096];
    new Random(5).nextBytes(garbage);
    Files.write(bundle.resolve(ModelManifest.ENCODER_FILE), garbage);

    Outcome outcome = run("corrupt-onnx", bundle);

    assertThat(outcome.status()).as(outcome.log()).isEqualTo(2);
    assertThat(outcome.log()).contains("bad model bundle").contains(ModelManifest.ENCODER_FILE);
    assertNothingConsumed("corrupt-onnx");
  }

  @Test
  void shouldRefuseAnUnknownDistanceMetric() throws Exception {
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    Path manifest = bundle.resolve(ModelManifest.FILE_NAME);
    String json = Files.readString(manifest, StandardCharsets.UTF_8);
    assertThat(json).contains("SQUARED_L2");
    Files.writeString(manifest, json.replace("SQUARED_L2", "MAHALANOBIS"), StandardCharsets.UTF_8);

    Outcome outcome = run("unknown-metric", bundle);

    assertThat(outcome.status()).as(outcome.log()).isEqualTo(2);
    assertThat(outcome.log()).contains("bad model bundle").contains("MAHALANOBIS");
    assertNothingConsumed("unknown-metric");
  }

  @Test
  void shouldRefuseAnUnknownProcessingGuarantee() throws Exception {
    Path bundle = TestBundles.write(dir.resolve("bundle"));

    Outcome outcome = run("bad-guarantee", bundle, "--processing-guarantee", "exactly_twice");

    assertThat(outcome.status()).as(outcome.log()).isEqualTo(2);
    assertThat(outcome.log()).contains("exactly_twice");
    assertNothingConsumed("bad-guarantee");
  }

  @Test
  void shouldRefuseACameraThresholdAboveTheLargestDistanceOfTheModelNamingTheKey() throws Exception {
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    // The test bundle: squared L2 between L2-normalised embeddings, at most 4.
    Path badConfig = ReliabilityFixtures.serviceConfigFile(dir.resolve("thresholds.properties"), topics,
        Map.of("siamese.camera.server-room.threshold", "4.5"));

    Outcome outcome = run("threshold-too-large", bundle, badConfig);

    assertThat(outcome.status()).as(outcome.log()).isEqualTo(2);
    assertThat(outcome.log()).contains("bad threshold").contains("siamese.camera.server-room.threshold")
        .contains("outside (0, 4.0]");
    assertNothingConsumed("threshold-too-large");
  }

  @Test
  void shouldRefuseANonPositiveDeploymentThresholdNamingTheKey() throws Exception {
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    Path badConfig = ReliabilityFixtures.serviceConfigFile(dir.resolve("thresholds.properties"), topics,
        Map.of("siamese.decision.threshold", "0"));

    Outcome outcome = run("threshold-zero", bundle, badConfig);

    assertThat(outcome.status()).as(outcome.log()).isEqualTo(2);
    assertThat(outcome.log()).contains("siamese.decision.threshold").contains("outside (0,");
    assertNothingConsumed("threshold-zero");
  }
}
