package io.siamesestreams.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {

  private static final String JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"svc\" password=\"s3cr3t\";";

  @Test
  void shouldTranslateEnvironmentNamesToKafkaKeys() {
    assertThat(KafkaSettings.environmentNameToKey("SECURITY_PROTOCOL")).isEqualTo("security.protocol");
    assertThat(KafkaSettings.environmentNameToKey("SASL_JAAS_CONFIG")).isEqualTo("sasl.jaas.config");
    assertThat(KafkaSettings.environmentNameToKey("SOME__UNDERSCORE")).isEqualTo("some_underscore");
    assertThat(KafkaSettings.environmentNameToKey("A___DASH")).isEqualTo("a-dash");
  }

  @Test
  void shouldPassFileEnvironmentAndBootstrapThroughWithLaterSourcesWinning(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(
        file,
        "bootstrap.servers=file:9092\nsecurity.protocol=SSL\nssl.truststore.location=/etc/ts.jks\nlinger.ms=5\n");
    Map<String, String> environment =
        Map.of(
            "SIAMESE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "SIAMESE_KAFKA_SASL_MECHANISM", "PLAIN",
            "SIAMESE_KAFKA_SASL_JAAS_CONFIG", JAAS,
            "PATH", "/usr/bin");

    KafkaSettings settings = KafkaSettings.load("cli:9093", file, environment);

    assertThat(settings.all())
        .containsEntry("bootstrap.servers", "cli:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("sasl.jaas.config", JAAS)
        .containsEntry("ssl.truststore.location", "/etc/ts.jks")
        .containsEntry("linger.ms", "5")
        .doesNotContainKey("path");
  }

  @Test
  void shouldKeepOnlyKeysEachClientKnows() {
    KafkaSettings settings =
        KafkaSettings.empty()
            .with("bootstrap.servers", "b:1")
            .with("security.protocol", "SSL")
            .with("linger.ms", "5")
            .with("fetch.min.bytes", "10")
            .with("processing.guarantee", "exactly_once_v2");

    assertThat(settings.forProducer()).containsOnlyKeys("bootstrap.servers", "security.protocol", "linger.ms");
    assertThat(settings.forConsumer())
        .containsOnlyKeys("bootstrap.servers", "security.protocol", "fetch.min.bytes");
    assertThat(settings.forAdmin()).containsOnlyKeys("bootstrap.servers", "security.protocol");
    assertThat(settings.all()).containsKey("processing.guarantee");
  }

  @Test
  void shouldNeverPrintSecrets() {
    KafkaSettings settings =
        KafkaSettings.empty()
            .with("sasl.jaas.config", JAAS)
            .with("ssl.key.password", "kp")
            .with("ssl.keystore.password", "ksp")
            .with("ssl.keystore.key", "-----BEGIN PRIVATE KEY-----")
            .with("sasl.oauthbearer.client.credentials.client.secret", "oauth")
            .with("basic.auth.user.info", "user:pw")
            .with("security.protocol", "SASL_SSL")
            .with("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");

    String printed = settings.describe() + settings.toString();

    assertThat(printed)
        .doesNotContain("s3cr3t", "kp\n", "ksp", "PRIVATE KEY", "oauth\n", "user:pw")
        .contains("security.protocol=SASL_SSL")
        .contains("key.serializer=org.apache.kafka.common.serialization.StringSerializer")
        .contains("sasl.jaas.config=" + KafkaSettings.MASK);
    assertThat(settings.masked().values()).filteredOn(KafkaSettings.MASK::equals).hasSize(6);
  }

  @Test
  void shouldMaskPasswordKeysBehindKafkaStreamsAndListenerPrefixes() {
    assertThat(KafkaSettings.isSecret("ssl.truststore.password")).isTrue();
    assertThat(KafkaSettings.isSecret("producer.ssl.truststore.certificates")).isTrue();
    assertThat(KafkaSettings.isSecret("main.consumer.ssl.keystore.certificate.chain")).isTrue();
    assertThat(KafkaSettings.isSecret("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config")).isTrue();
    assertThat(KafkaSettings.isSecret("admin.sasl.oauthbearer.client.credentials.client.secret")).isTrue();
    assertThat(KafkaSettings.isSecret("ssl.truststore.location")).isFalse();
    assertThat(KafkaSettings.isSecret("producer.ssl.truststore.type")).isFalse();
    assertThat(KafkaSettings.isSecret("sasl.mechanism")).isFalse();
  }

  @Test
  void shouldHideSecretsFromTheEnvironmentInWhatTheServiceLogs() {
    KafkaSettings settings = KafkaSettings.load("b:1", null, Map.of(
        "SIAMESE_KAFKA_SSL_TRUSTSTORE_PASSWORD", "trust-me-123",
        "SIAMESE_KAFKA_SSL_KEYSTORE_PASSWORD", "keys-456",
        "SIAMESE_KAFKA_SASL_JAAS_CONFIG", JAAS,
        "SIAMESE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));

    assertThat(settings.all()).containsEntry("ssl.truststore.password", "trust-me-123");
    assertThat(settings.toString() + settings.describe())
        .doesNotContain("trust-me-123", "keys-456", "s3cr3t")
        .contains("ssl.truststore.password=" + KafkaSettings.MASK, "security.protocol=SASL_SSL");
  }

  @Test
  void shouldExplainHowToSetAMissingBootstrap() {
    assertThatThrownBy(() -> KafkaSettings.load(null, null, Map.of()).requireBootstrapServers())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--bootstrap");
    assertThat(
            KafkaSettings.load(null, null, Map.of("SIAMESE_KAFKA_BOOTSTRAP_SERVERS", "env:1"))
                .requireBootstrapServers())
        .isEqualTo("env:1");
  }

  @Test
  void toolsShouldTakeTopicNamesFromTheFileWithSiameseTopicVariablesWinning() {
    KafkaSettings file = KafkaSettings.empty().with("siamese.topic.frames", "file-frames")
        .with("siamese.topic.match-events", "file-events");

    io.siamesestreams.topology.Topics topics = KafkaOptions.topics(file,
        Map.of("SIAMESE_TOPIC_MATCH___EVENTS", "env-events", "SIAMESE_TOPIC_FRAMES___DLQ", "env-dlq"));

    assertThat(topics.frames().name()).isEqualTo("file-frames");
    assertThat(topics.matchEvents().name()).isEqualTo("env-events");
    assertThat(topics.framesDlq().name()).isEqualTo("env-dlq");
  }
}
