package io.siamesestreams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.config.KafkaSettings;
import io.siamesestreams.identity.ThresholdOverrides;
import io.siamesestreams.onnx.ExecutionProvider;
import io.siamesestreams.testing.TestBundles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {

  @TempDir
  Path dir;

  private int run(StringWriter err, String... args) {
    CommandLine cli = new CommandLine(new RunCommand());
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void shouldExitWithTwoAndTheValidationMessageForABadBundleBeforeConsumingAnything() throws Exception {
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    Files.delete(bundle.resolve("encoder.onnx"));
    StringWriter err = new StringWriter();

    int exit = run(err, "--bootstrap", "127.0.0.1:1", "--model", bundle.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("bad model bundle").contains("encoder.onnx");
  }

  @Test
  void shouldExitWithTwoAndTheKafkaMessageForABadKafkaSetting() throws Exception {
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    Path config = dir.resolve("bad.properties");
    Files.writeString(config, "commit.interval.ms=soon\n");
    StringWriter err = new StringWriter();

    int exit = run(err, "--bootstrap", "127.0.0.1:1", "--model", bundle.toString(), "--config", config.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("bad Kafka configuration").contains("commit.interval.ms");
  }

  @Test
  void shouldRequireBootstrapServersFromSomewhere() {
    RunCommand command = new RunCommand();
    new CommandLine(command).parseArgs("--model", dir.toString());

    assertThat(command.settings(KafkaSettings.load("127.0.0.1:9", null, Map.of())).bootstrapServers())
        .isEqualTo("127.0.0.1:9");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> command.settings(KafkaSettings.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bootstrap");
  }

  @Test
  void shouldPassKafkaSettingsThroughAndTakeTopicNamesFromServiceKeys() throws Exception {
    Path config = dir.resolve("service.properties");
    Files.writeString(config, String.join("\n",
        "security.protocol=SSL",
        "siamese.topic.frames=gate-frames",
        "commit.interval.ms=300"));
    RunCommand command = new RunCommand();
    new CommandLine(command).parseArgs("--model", dir.toString(), "--config", config.toString(),
        "--application-id", "gate", "--batch-size", "8", "--max-wait-ms", "15", "--top-k", "2");

    ServiceSettings settings = command.settings(KafkaSettings.load("h:1", config,
        Map.of("SIAMESE_KAFKA_SASL_MECHANISM", "PLAIN")));

    assertThat(settings.topics().frames().name()).isEqualTo("gate-frames");
    assertThat(settings.kafkaProperties()).containsEntry("security.protocol", "SSL")
        .containsEntry("sasl.mechanism", "PLAIN").containsEntry("commit.interval.ms", "300")
        .doesNotContainKey("siamese.topic.frames");
    assertThat(settings.applicationId()).isEqualTo("gate");
    assertThat(settings.batchSize()).isEqualTo(8);
    assertThat(settings.maxWait()).isEqualTo(Duration.ofMillis(15));
    assertThat(settings.topK()).isEqualTo(2);
    assertThat(settings.processingGuarantee()).isEqualTo("exactly_once_v2");
  }

  @Test
  void shouldTakeDeploymentAndCameraThresholdsFromTheConfigFileWithTheThresholdFlagWinning() throws Exception {
    Path config = dir.resolve("service.properties");
    Files.writeString(config, String.join("\n",
        "siamese.decision.threshold=0.45",
        "siamese.camera.server-room.threshold=0.3"));
    RunCommand fromFile = new RunCommand();
    new CommandLine(fromFile).parseArgs("--model", dir.toString(), "--config", config.toString());
    RunCommand withFlag = new RunCommand();
    new CommandLine(withFlag).parseArgs("--model", dir.toString(), "--config", config.toString(),
        "--threshold", "0.4");

    ServiceSettings settings = fromFile.settings(KafkaSettings.load("h:1", config, Map.of()));
    ServiceSettings flagged = withFlag.settings(KafkaSettings.load("h:1", config, Map.of()));

    assertThat(settings.thresholds()).isEqualTo(new ThresholdOverrides(0.45, Map.of("server-room", 0.3)));
    assertThat(settings.kafkaProperties()).doesNotContainKeys("siamese.decision.threshold",
        "siamese.camera.server-room.threshold");
    assertThat(flagged.thresholds()).isEqualTo(new ThresholdOverrides(0.4, Map.of("server-room", 0.3)));
  }

  @Test
  void shouldExitWithTwoNamingTheKeyForAnUnknownCameraSetting() throws Exception {
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    Path config = dir.resolve("typo.properties");
    Files.writeString(config, "siamese.camera.lobby.treshold=0.3\n");
    StringWriter err = new StringWriter();

    int exit = run(err, "--bootstrap", "127.0.0.1:1", "--model", bundle.toString(), "--config", config.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("unknown key siamese.camera.lobby.treshold");
  }
  @Test
  void shouldFailAtStartWithExitTwoNamingTheSettingWhenCudaIsAskedOfTheCpuBuild() throws Exception {
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    StringWriter err = new StringWriter();

    int exit = run(err, "--bootstrap", "127.0.0.1:1", "--model", bundle.toString(), "--execution-provider", "cuda");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("cannot start", ExecutionProvider.SETTING + "=cuda", "-Pgpu");
  }

  @Test
  void shouldTakeTheExecutionProviderFromTheConfigFileWithTheFlagWinningAndRejectOtherValues() throws Exception {
    Path config = dir.resolve("service.properties");
    Files.writeString(config, ExecutionProvider.SETTING + "=CUDA\n");
    RunCommand fromFile = new RunCommand();
    new CommandLine(fromFile).parseArgs("--model", dir.toString(), "--config", config.toString());
    RunCommand withFlag = new RunCommand();
    new CommandLine(withFlag).parseArgs("--model", dir.toString(), "--config", config.toString(),
        "--execution-provider", "cpu");
    RunCommand byDefault = new RunCommand();
    new CommandLine(byDefault).parseArgs("--model", dir.toString());
    StringWriter err = new StringWriter();

    assertThat(fromFile.settings(KafkaSettings.load("h:1", config, Map.of())).executionProvider())
        .isEqualTo(ExecutionProvider.CUDA);
    assertThat(fromFile.settings(KafkaSettings.load("h:1", config, Map.of())).kafkaProperties())
        .doesNotContainKey(ExecutionProvider.SETTING);
    assertThat(withFlag.settings(KafkaSettings.load("h:1", config, Map.of())).executionProvider())
        .isEqualTo(ExecutionProvider.CPU);
    assertThat(byDefault.settings(KafkaSettings.load("h:1", null, Map.of())).executionProvider())
        .isEqualTo(ExecutionProvider.CPU);
    assertThat(run(err, "--bootstrap", "127.0.0.1:1", "--model", dir.toString(), "--execution-provider", "tpu"))
        .isEqualTo(2);
    assertThat(err.toString()).contains(ExecutionProvider.SETTING + " must be cpu or cuda, was \"tpu\"");
  }
}
