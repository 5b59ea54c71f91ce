package io.siamesestreams.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.testing.BrokerRoundTripContract;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestCluster;
import io.siamesestreams.testing.KafkaTestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The in-process KRaft broker: round trip, plus start/stop behaviour of {@link EmbeddedKafkaBroker}. */
class EmbeddedKafkaBrokerIT extends BrokerRoundTripContract {

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @Override
  protected KafkaTestCluster cluster() {
    return KAFKA;
  }

  @Test
  void shouldKeepTopicsAndRecordsAcrossARestartOnTheSameDataDirectory(@TempDir Path dataDirectory) {
    BrokerSettings settings = BrokerSettings.ephemeral().withDataDirectory(dataDirectory);
    try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(settings)) {
      KafkaTestSupport.createTopics(first.bootstrapServers(), KafkaTestSupport.topic("durable", 1));
      KafkaTestSupport.produce(
          first.bootstrapServers(),
          List.of(new ProducerRecord<>("durable", "k", "kept".getBytes(StandardCharsets.UTF_8))));
    }
    assertThat(dataDirectory.resolve("meta.properties")).exists();

    try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(settings)) {
      assertThat(
              KafkaTestSupport.consumeStrings(
                  second.bootstrapServers(), "durable", 1, Duration.ofSeconds(30)))
          .singleElement()
          .satisfies(record -> assertThat(record.value()).isEqualTo("kept"));
    }
    assertThat(dataDirectory).exists();
  }

  @Test
  void shouldServeTlsClientsThatTrustItsCaAndRefuseOthers(@TempDir Path tls) throws Exception {
    TlsMaterial material = TlsMaterial.loadOrCreate(tls, List.of());
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.ephemeral().withTls(material))) {
      Map<String, Object> trusting = new HashMap<>(broker.clientProperties(null));
      assertThat(trusting).containsEntry("security.protocol", "SSL");
      try (Admin admin = Admin.create(trusting)) {
        admin.createTopics(List.of(KafkaTestSupport.topic("secret-talk", 1))).all().get(30, TimeUnit.SECONDS);
        assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
      }
      Map<String, Object> untrusting = new HashMap<>(trusting);
      untrusting.keySet().removeIf(key -> key.startsWith("ssl.truststore"));
      untrusting.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
      untrusting.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
      try (Admin admin = Admin.create(untrusting)) {
        assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
            .hasCauseInstanceOf(SslAuthenticationException.class);
      }
    }
  }

  @Test
  void shouldDeleteItsTemporaryDataDirectoryOnClose() {
    Path dataDirectory;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.ephemeral())) {
      dataDirectory = broker.dataDirectory();
      assertThat(Files.isDirectory(dataDirectory)).isTrue();
      assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
    }
    assertThat(dataDirectory).doesNotExist();
  }
}
