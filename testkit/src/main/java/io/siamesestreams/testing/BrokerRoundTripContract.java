package io.siamesestreams.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The same broker checks for every kind of test broker: the embedded one and the container. A
 * subclass supplies the {@link KafkaTestCluster}.
 */
public abstract class BrokerRoundTripContract {

  protected abstract KafkaTestCluster cluster();

  @Test
  void shouldReportOneNodeInTheCluster() throws Exception {
    try (Admin admin =
        Admin.create(
            java.util.Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster().bootstrapServers()))) {
      assertThat(admin.describeCluster().nodes().get()).hasSize(1);
    }
  }

  @Test
  void shouldDeliverProducedRecordsInOrderPerKey() {
    String bootstrap = cluster().bootstrapServers();
    KafkaTestSupport.createTopics(bootstrap, KafkaTestSupport.topic("round-trip", 3));
    List<ProducerRecord<String, byte[]>> records =
        IntStream.range(0, 30)
            .mapToObj(
                i ->
                    new ProducerRecord<>(
                        "round-trip", "camera-" + (i % 3), ("frame-" + i).getBytes(StandardCharsets.UTF_8)))
            .toList();

    KafkaTestSupport.produce(bootstrap, records);
    List<ConsumerRecord<String, String>> received =
        KafkaTestSupport.consumeStrings(bootstrap, "round-trip", 30, Duration.ofSeconds(30));

    assertThat(received).hasSize(30);
    List<String> cameraOne =
        received.stream().filter(r -> r.key().equals("camera-1")).map(ConsumerRecord::value).toList();
    assertThat(cameraOne)
        .containsExactlyElementsOf(
            IntStream.range(0, 30).filter(i -> i % 3 == 1).mapToObj(i -> "frame-" + i).toList());
  }

  @Test
  void shouldRefuseToCreateTopicsAutomatically() throws Exception {
    java.util.Map<String, Object> config = new java.util.HashMap<>(
        KafkaTestSupport.producerConfig(cluster().bootstrapServers()));
    config.put(org.apache.kafka.clients.producer.ProducerConfig.MAX_BLOCK_MS_CONFIG, 1500);
    try (org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer =
            new org.apache.kafka.clients.producer.KafkaProducer<>(config);
        Admin admin =
            Admin.create(
                java.util.Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster().bootstrapServers()))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> producer.send(new ProducerRecord<>("never-declared", "k", new byte[1])).get())
          .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
      assertThat(admin.listTopics().names().get()).doesNotContain("never-declared");
    }
  }
}
