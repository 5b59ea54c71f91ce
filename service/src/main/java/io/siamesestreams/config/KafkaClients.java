package io.siamesestreams.config;

import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The command-line tools' Kafka clients, built from {@link KafkaSettings}: string keys, raw byte
 * values (the tools serialise JSON themselves, and dead letters are arbitrary bytes). Settings from
 * the user win over these defaults except the serialisers.
 */
public final class KafkaClients {

  private KafkaClients() {}

  /** An idempotent producer with {@code acks=all} unless the settings say otherwise. */
  public static KafkaProducer<String, byte[]> producer(KafkaSettings settings, String clientId) {
    settings.requireBootstrapServers();
    Map<String, Object> config = settings.forProducer();
    config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    config.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * A consumer that sees only committed records ({@code isolation.level=read_committed}: the
   * service writes in transactions) and joins no group unless the settings name one; use {@code
   * assign} with it.
   */
  public static KafkaConsumer<String, byte[]> readCommittedConsumer(KafkaSettings settings, String clientId) {
    settings.requireBootstrapServers();
    Map<String, Object> config = settings.forConsumer();
    config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + UUID.randomUUID().toString().substring(0, 8));
    config.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
