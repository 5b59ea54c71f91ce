package io.siamesestreams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.config.ServiceConfig;
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

  private static RunCommand parsed(String... args) {
    RunCommand command = new RunCommand();
    new CommandLine(command).parseArgs(args);
    return command;
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
  void shouldExitWithTwoNamingTheKeyValueAndFlagForABadFlagValue() throws Exception {
    StringWriter err = new StringWriter();

    int exit = run(err, "--bootstrap", "127.0.0.1:1", "--model", dir.toString(), "--batch-size", "0");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains(
        "siamese run: bad configuration: siamese.batch.size=0 (from --batch-size): must be at least 1");
  }

  @Test
  void shouldExitWithTwoNamingTheKeyValueAndFileForABadValueInTheConfigFile() throws Exception {
    Path config = dir.resolve("site.properties");
    Files.writeString(config, "siamese.max.wait.ms=soon\n");
    StringWriter err = new StringWriter();

    int exit = run(err, "--bootstrap", "127.0.0.1:1", "--model", dir.toString(), "--config", config.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("siamese run: bad configuration: siamese.max.wait.ms=soon (from --config "
        + config + "): Not a number of type LONG");
  }

  @Test
  void shouldExitWithTwoNamingWhereToSetAMissingModelDirectory() {
    StringWriter err = new StringWriter();

    int exit = run(err, "--bootstrap", "127.0.0.1:1");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("bad configuration: siamese.model.dir is not set: pass --model DIR, set"
        + " SIAMESE_MODEL_DIR, or siamese.model.dir in --config");
  }

  @Test
  void shouldExitWithTwoNamingTheKeyFileAndLineOfABadApiKeysFileBeforeConsumingAnything() throws Exception {
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    Path keys = dir.resolve("api-keys");
    Files.writeString(keys, "# keys\nkiosk=operator:plaintext\n");
    StringWriter err = new StringWriter();

    int exit = run(err, "--bootstrap", "127.0.0.1:1", "--model", bundle.toString(), "--api-keys", keys.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("bad configuration: siamese.api.keys.file").contains(keys + ", line 2")
        .contains("64 hex");
  }

  @Test
  void shouldTakeTheHttpPortAndApiKeysFileFromTheConfigFileAndMetricsPortAsAnAliasOfHttpPort() throws Exception {
    Path bundle = TestBundles.write(dir.resolve("bundle"));
    Path config = dir.resolve("site.properties");
    Files.writeString(config, ServiceConfig.API_KEYS_FILE + "=" + dir.resolve("missing-keys") + "\n"
        + ServiceConfig.HTTP_PORT + "=9999\n");
    StringWriter err = new StringWriter();

    int exit = run(err, "--bootstrap", "127.0.0.1:1", "--model", bundle.toString(), "--config", config.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("bad configuration: siamese.api.keys.file").contains("missing-keys");
    Map<String, String> environment = Map.of("SIAMESE_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9");
    assertThat(parsed("--model", "m", "--config", config.toString()).settings(environment).httpPort()).isEqualTo(9999);
    assertThat(parsed("--model", "m", "--metrics-port", "9500").settings(environment).httpPort()).isEqualTo(9500);
    assertThat(parsed("--model", "m", "--http-port", "9501").settings(environment).httpPort()).isEqualTo(9501);
  }

  @Test
  void shouldRequireBootstrapServersFromSomewhere() {
    RunCommand command = parsed("--model", dir.toString());

    assertThat(command.settings(Map.of("SIAMESE_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9")).bootstrapServers())
        .isEqualTo("127.0.0.1:9");
    assertThatThrownBy(() -> command.settings(Map.of()))
        .isInstanceOf(ServiceConfig.InvalidSettingException.class)
        .hasMessageContaining("bootstrap.servers is not set: pass --bootstrap HOST:PORT");
  }

  @Test
  void shouldPassKafkaSettingsThroughAndTakeServiceKeysFromFileEnvironmentAndFlags() throws Exception {
    Path config = dir.resolve("service.properties");
    Files.writeString(config, String.join("\n",
        "security.protocol=SSL",
        "siamese.topic.frames=gate-frames",
        "siamese.top.k=4",
        "siamese.max.frame.bytes=4096",
        "commit.interval.ms=300"));
    RunCommand command = parsed("--model", dir.toString(), "--config", config.toString(),
        "--application-id", "gate", "--batch-size", "8", "--max-wait-ms", "15", "--top-k", "2");

    ServiceSettings settings = command.settings(Map.of("SIAMESE_KAFKA_SASL_MECHANISM", "PLAIN",
        "SIAMESE_KAFKA_BOOTSTRAP_SERVERS", "h:1", "SIAMESE_MAX_FRAME_BYTES", "8192"));

    assertThat(settings.topics().frames().name()).isEqualTo("gate-frames");
    assertThat(settings.kafkaProperties()).containsEntry("security.protocol", "SSL")
        .containsEntry("sasl.mechanism", "PLAIN").containsEntry("commit.interval.ms", "300")
        .doesNotContainKeys("siamese.topic.frames", "bootstrap.servers", "application.id");
    assertThat(settings.bootstrapServers()).isEqualTo("h:1");
    assertThat(settings.applicationId()).isEqualTo("gate");
    assertThat(settings.batchSize()).isEqualTo(8);
    assertThat(settings.maxWait()).isEqualTo(Duration.ofMillis(15));
    assertThat(settings.topK()).as("the flag wins over the file").isEqualTo(2);
    assertThat(settings.maxFrameBytes()).as("the environment wins over the file").isEqualTo(8192);
    assertThat(settings.processingGuarantee()).isEqualTo("exactly_once_v2");
  }

  @Test
  void shouldTakeDeploymentAndCameraThresholdsFromTheConfigFileWithTheThresholdFlagWinning() throws Exception {
    Path config = dir.resolve("service.properties");
    Files.writeString(config, String.join("\n",
        "bootstrap.servers=h:1",
        "siamese.decision.threshold=0.45",
        "siamese.camera.server-room.threshold=0.3"));

    ServiceSettings settings = parsed("--model", dir.toString(), "--config", config.toString()).settings(Map.of());
    ServiceSettings flagged = parsed("--model", dir.toString(), "--config", config.toString(), "--threshold", "0.4")
        .settings(Map.of());

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
  void shouldExitWithTwoNamingTheKeyForAnUnknownServiceKeyInTheConfigFile() throws Exception {
    Path config = dir.resolve("typo.properties");
    Files.writeString(config, "siamese.batch.sise=8\n");
    StringWriter err = new StringWriter();

    int exit = run(err, "--bootstrap", "127.0.0.1:1", "--model", dir.toString(), "--config", config.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("bad configuration: siamese.batch.sise=8 (from --config " + config
        + "): unknown key siamese.batch.sise");
  }

  @Test
  void helpShouldListEveryFlagWithItsKeyAndTheDefaultOfItsDefinition() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new RunCommand());
    cli.setOut(new PrintWriter(out, true));

    assertThat(cli.execute("--help")).isZero();

    // picocli wraps long words at dots: compare without white space.
    String help = out.toString().replaceAll("\\s+", "");
    for (ServiceConfig.Flag flag : ServiceConfig.FLAGS) {
      assertThat(help).contains(flag.name() + "=" + flag.paramLabel())
          .contains(("[" + flag.key() + "; default: " + ServiceConfig.defaultText(flag.key()) + "]").replace(" ", ""));
    }
    assertThat(help).contains("[siamese.batch.size;default:32]").contains("[siamese.max.wait.ms;default:20]")
        .contains("[siamese.http.port;default:9464]").contains("--metrics-port=PORT").contains("[siamese.model.dir;default:required]");
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
    Files.writeString(config, ExecutionProvider.SETTING + "=cuda\n");
    Map<String, String> environment = Map.of("SIAMESE_KAFKA_BOOTSTRAP_SERVERS", "h:1");
    StringWriter err = new StringWriter();

    ServiceSettings fromFile = parsed("--model", dir.toString(), "--config", config.toString()).settings(environment);
    assertThat(fromFile.executionProvider()).isEqualTo(ExecutionProvider.CUDA);
    assertThat(fromFile.kafkaProperties()).doesNotContainKey(ExecutionProvider.SETTING);
    assertThat(parsed("--model", dir.toString(), "--config", config.toString(), "--execution-provider", "cpu")
        .settings(environment).executionProvider()).isEqualTo(ExecutionProvider.CPU);
    assertThat(parsed("--model", dir.toString()).settings(environment).executionProvider())
        .isEqualTo(ExecutionProvider.CPU);
    assertThat(run(err, "--bootstrap", "127.0.0.1:1", "--model", dir.toString(), "--execution-provider", "tpu"))
        .isEqualTo(2);
    assertThat(err.toString()).contains(ExecutionProvider.SETTING + "=tpu (from --execution-provider)");
  }
}
