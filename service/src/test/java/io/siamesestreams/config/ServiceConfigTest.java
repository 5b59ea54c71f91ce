package io.siamesestreams.config;

import static io.siamesestreams.config.ServiceConfig.BATCH_SIZE;
import static io.siamesestreams.config.ServiceConfig.BOOTSTRAP_SERVERS;
import static io.siamesestreams.config.ServiceConfig.MODEL_DIR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.identity.ThresholdOverrides;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigTest {

  private static final Map<String, String> REQUIRED_FLAGS = Map.of("--bootstrap", "b:1", "--model", "bundle");

  @TempDir
  Path dir;

  private Path file(String... lines) throws Exception {
    Path file = dir.resolve("site.properties");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  private static Map<String, String> flags(String... nameValues) {
    Map<String, String> flags = new LinkedHashMap<>(REQUIRED_FLAGS);
    for (int i = 0; i < nameValues.length; i += 2) {
      flags.put(nameValues[i], nameValues[i + 1]);
    }
    return flags;
  }

  @Test
  void shouldTakeEveryDefaultFromTheDefinitions() {
    ServiceConfig config = ServiceConfig.load(REQUIRED_FLAGS, null, Map.of());

    assertThat(config.getInt(BATCH_SIZE)).isEqualTo(32);
    assertThat(config.getLong(ServiceConfig.MAX_WAIT_MS)).isEqualTo(20L);
    assertThat(config.getInt(ServiceConfig.TOP_K)).isEqualTo(5);
    assertThat(config.getInt(ServiceConfig.MAX_TEMPLATES_PER_IDENTITY)).isEqualTo(100);
    assertThat(config.getInt(ServiceConfig.MAX_FRAME_BYTES)).isEqualTo(1024 * 1024);
    assertThat(config.getLong(ServiceConfig.DEDUPE_WINDOW_MS)).isEqualTo(600_000L);
    assertThat(config.getString(ServiceConfig.PROCESSING_GUARANTEE)).isEqualTo("exactly_once_v2");
    assertThat(config.getInt(ServiceConfig.STREAM_THREADS)).isEqualTo(1);
    assertThat(config.getInt(ServiceConfig.ONNX_THREADS)).isNull();
    assertThat(config.getString(ServiceConfig.ONNX_EXECUTION_PROVIDER)).isEqualTo("cpu");
    assertThat(config.getString(ServiceConfig.APPLICATION_ID)).isEqualTo("siamese-streams");
    assertThat(config.getInt(ServiceConfig.HTTP_PORT)).isEqualTo(9464);
    assertThat(config.getString(ServiceConfig.API_KEYS_FILE)).isNull();
    assertThat(config.getLong(ServiceConfig.ERASURE_ROLL_INTERVAL_MS)).isEqualTo(30_000L);
    assertThat(config.topics().names())
        .containsExactly("frames", "identities", "identity-templates", "match-events", "frames-dlq");
    assertThat(config.thresholds()).isEqualTo(ThresholdOverrides.none());
  }

  @Test
  void flagsShouldWinOverTheEnvironmentWhichWinsOverTheFile() throws Exception {
    Path file = file("siamese.batch.size=8", "siamese.top.k=3", "siamese.max.frame.bytes=4096");
    Map<String, String> environment = Map.of("SIAMESE_BATCH_SIZE", "16", "SIAMESE_TOP_K", "4");

    ServiceConfig config = ServiceConfig.load(flags("--batch-size", "24"), file, environment);

    assertThat(config.getInt(BATCH_SIZE)).isEqualTo(24);
    assertThat(config.getInt(ServiceConfig.TOP_K)).isEqualTo(4);
    assertThat(config.getInt(ServiceConfig.MAX_FRAME_BYTES)).isEqualTo(4096);
  }

  @Test
  void shouldMapEnvironmentVariablesToServiceAndKafkaKeys() {
    ServiceConfig config = ServiceConfig.load(Map.of("--model", "bundle"), null, Map.of(
        "SIAMESE_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
        "SIAMESE_KAFKA_NUM_STREAM_THREADS", "3",
        "SIAMESE_KAFKA_SECURITY_PROTOCOL", "SSL",
        "SIAMESE_TOPIC_IDENTITY___TEMPLATES", "site-templates",
        "SIAMESE_CAMERA_LOBBY_THRESHOLD", "0.6",
        "SIAMESE_ONNX_EXECUTION_PROVIDER", "cuda",
        "SIAMESE_JAR", "/app/siamese-service.jar",
        "PATH", "/usr/bin"));

    assertThat(config.getString(BOOTSTRAP_SERVERS)).isEqualTo("kafka:9092");
    assertThat(config.getInt(ServiceConfig.STREAM_THREADS)).isEqualTo(3);
    assertThat(config.topics().identityTemplates().name()).isEqualTo("site-templates");
    assertThat(config.thresholds()).isEqualTo(new ThresholdOverrides(null, Map.of("lobby", 0.6)));
    assertThat(config.getString(ServiceConfig.ONNX_EXECUTION_PROVIDER)).isEqualTo("cuda");
    assertThat(config.kafkaProperties()).containsExactly(Map.entry("security.protocol", "SSL"));
  }

  @Test
  void everyKeyShouldHaveAnEnvironmentVariableThatMapsBackToIt() {
    for (String key : ServiceConfig.DEFINITION.names()) {
      String variable = ServiceConfig.environmentVariable(key);
      Map<String, String> environment = new LinkedHashMap<>(Map.of("SIAMESE_KAFKA_BOOTSTRAP_SERVERS", "b:1",
          "SIAMESE_MODEL_DIR", "bundle"));
      String text = ServiceConfig.defaultText(key);
      environment.put(variable, text.equals("required") || text.equals("unset") ? "1" : text);
      ServiceConfig config = ServiceConfig.load(Map.of(), null, environment);

      assertThat(config.originals()).as(variable).containsKey(key);
    }
    assertThat(ServiceConfig.environmentVariable(BATCH_SIZE)).isEqualTo("SIAMESE_BATCH_SIZE");
    assertThat(ServiceConfig.environmentVariable(BOOTSTRAP_SERVERS)).isEqualTo("SIAMESE_KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void aBadValueInTheFileShouldNameKeyValueAndFile() throws Exception {
    Path file = file("siamese.batch.size=0");

    assertThatThrownBy(() -> ServiceConfig.load(REQUIRED_FLAGS, file, Map.of()))
        .isInstanceOf(ServiceConfig.InvalidSettingException.class)
        .hasMessage("siamese.batch.size=0 (from --config " + file + "): must be at least 1");
  }

  @Test
  void aBadValueInTheEnvironmentShouldNameKeyValueAndVariable() {
    assertThatThrownBy(() -> ServiceConfig.load(REQUIRED_FLAGS, null, Map.of("SIAMESE_PROCESSING_GUARANTEE", "x")))
        .hasMessageContaining("unknown key siamese.processing.guarantee");
    assertThatThrownBy(() -> ServiceConfig.load(REQUIRED_FLAGS, null,
        Map.of("SIAMESE_KAFKA_PROCESSING_GUARANTEE", "exactly_twice")))
        .isInstanceOf(ServiceConfig.InvalidSettingException.class)
        .hasMessage("processing.guarantee=exactly_twice (from environment variable SIAMESE_KAFKA_PROCESSING_GUARANTEE):"
            + " String must be one of: exactly_once_v2, at_least_once");
    assertThatThrownBy(() -> ServiceConfig.load(REQUIRED_FLAGS, null,
        Map.of("SIAMESE_ONNX_EXECUTION_PROVIDER", "tpu")))
        .hasMessageStartingWith("siamese.onnx.execution.provider=tpu (from environment variable"
            + " SIAMESE_ONNX_EXECUTION_PROVIDER): String must be one of: cpu, cuda");
  }

  @Test
  void aBadFlagValueShouldNameKeyValueAndFlag() {
    assertThatThrownBy(() -> ServiceConfig.load(flags("--metrics-port", "70000"), null, Map.of()))
        .isInstanceOf(ServiceConfig.InvalidSettingException.class)
        .hasMessage("siamese.http.port=70000 (from --metrics-port): must be no more than 65535");
    assertThatThrownBy(() -> ServiceConfig.load(flags("--threshold", "0"), null, Map.of()))
        .hasMessage("siamese.decision.threshold=0 (from --threshold): is outside (0, max distance]");
    assertThatThrownBy(() -> ServiceConfig.load(flags("--stream-threads", "two"), null, Map.of()))
        .hasMessage("num.stream.threads=two (from --stream-threads): Not a number of type INT");
  }

  @Test
  void unknownServiceKeysShouldFailNamingThemButCameraThresholdsAndKafkaKeysPass() throws Exception {
    Path typo = file("siamese.batch.sise=8");
    assertThatThrownBy(() -> ServiceConfig.load(REQUIRED_FLAGS, typo, Map.of()))
        .isInstanceOf(ServiceConfig.InvalidSettingException.class)
        .hasMessageStartingWith("siamese.batch.sise=8 (from --config " + typo + "): unknown key siamese.batch.sise");
    assertThatThrownBy(() -> ServiceConfig.load(REQUIRED_FLAGS, null, Map.of("SIAMESE_BATCH_SISE", "8")))
        .hasMessageStartingWith("siamese.batch.sise=8 (from environment variable SIAMESE_BATCH_SISE): unknown key");
    assertThatThrownBy(() -> ServiceConfig.load(REQUIRED_FLAGS, null, Map.of("SIAMESE_CAMERA_LOBBY", "0.5")))
        .hasMessageContaining("unknown key siamese.camera.lobby");
    assertThatThrownBy(() -> ServiceConfig.load(REQUIRED_FLAGS, file("siamese.camera.lobby.threshold=near"),
        Map.of())).hasMessageContaining("siamese.camera.lobby.threshold = 'near' is not a number");

    ServiceConfig config = ServiceConfig.load(REQUIRED_FLAGS,
        file("siamese.camera.gate.7.threshold=0.5", "linger.ms=5", "commit.interval.ms=100"), Map.of());

    assertThat(config.thresholds().cameras()).containsExactly(Map.entry("gate.7", 0.5));
    assertThat(config.kafkaProperties()).containsOnlyKeys("linger.ms", "commit.interval.ms");
  }

  @Test
  void anUnknownKeyNamingASecretShouldNotPrintItsValue() {
    assertThatThrownBy(() -> ServiceConfig.load(REQUIRED_FLAGS, null, Map.of("SIAMESE_API_KEY", "s3cr3t")))
        .hasMessageStartingWith("siamese.api.key=[hidden] (from environment variable SIAMESE_API_KEY): unknown key")
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void aMissingRequiredSettingShouldSayWhereToSetIt() {
    assertThatThrownBy(() -> ServiceConfig.load(Map.of("--bootstrap", "b:1"), null, Map.of()))
        .isInstanceOf(ServiceConfig.InvalidSettingException.class)
        .hasMessage("siamese.model.dir is not set: pass --model DIR, set SIAMESE_MODEL_DIR, or siamese.model.dir in"
            + " --config");
  }

  @Test
  void programmaticSettingsShouldBeCheckedLikeTheOtherSources() {
    assertThatThrownBy(() -> ServiceConfig.of(Map.of(BOOTSTRAP_SERVERS, "b:1", MODEL_DIR, Path.of("m"),
        ServiceConfig.DEDUPE_WINDOW_MS, -1L)))
        .hasMessage("siamese.dedupe.window.ms=-1 (from settings): must be at least 0");
    assertThat(ServiceConfig.of(Map.of(BOOTSTRAP_SERVERS, "b:1", MODEL_DIR, Path.of("m"), BATCH_SIZE, 4))
        .getInt(BATCH_SIZE)).isEqualTo(4);
  }

  @Test
  void everyFlagShouldSetADefinedKeyAndEveryKeyBeDocumented() {
    for (ServiceConfig.Flag flag : ServiceConfig.FLAGS) {
      assertThat(ServiceConfig.DEFINITION.names()).as(flag.name()).contains(flag.key());
    }
    for (ConfigDef.ConfigKey key : ServiceConfig.DEFINITION.configKeys().values()) {
      assertThat(key.documentation).as(key.name).isNotBlank();
      assertThat(key.name.startsWith("siamese.") || key.name.equals(BOOTSTRAP_SERVERS)
          || org.apache.kafka.streams.StreamsConfig.configDef().names().contains(key.name)).as(key.name).isTrue();
    }
  }
}
