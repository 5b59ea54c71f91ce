package io.siamesestreams.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.testing.BrokerRoundTripContract;
import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestCluster;
import io.siamesestreams.testing.KafkaTestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
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
