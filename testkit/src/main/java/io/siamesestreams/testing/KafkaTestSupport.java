package io.siamesestreams.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Small, bounded helpers for integration tests against a real broker: create topics, produce and
 * wait, and consume until N records arrived or a timeout passed (never an unbounded poll).
 */
public final class KafkaTestSupport {

  private KafkaTestSupport() {}

  /** Creates topics (partitions as given, replication factor 1); existing ones are left alone. */
  public static void createTopics(String bootstrap, NewTopic... topics) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      for (NewTopic topic : topics) {
        try {
          admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create " + topic.name(), e.getCause());
          }
        }
      }
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("creating topics " + Arrays.toString(topics), e);
    }
  }

  /** A topic with {@code partitions} partitions and replication factor 1. */
  public static NewTopic topic(String name, int partitions) {
    return new NewTopic(name, partitions, (short) 1);
  }

  /** String-keyed byte-array producer settings (idempotent, acks=all). */
  public static Map<String, Object> producerConfig(String bootstrap) {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
        ProducerConfig.ACKS_CONFIG, "all");
  }

  /** Sends the records and waits until each is acknowledged. */
  public static void produce(String bootstrap, List<ProducerRecord<String, byte[]>> records) {
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(bootstrap))) {
      List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
      for (ProducerRecord<String, byte[]> record : records) {
        acks.add(producer.send(record));
      }
      for (java.util.concurrent.Future<?> ack : acks) {
        ack.get(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new IllegalStateException("producing " + records.size() + " records", e);
    }
  }

  /**
   * Reads {@code topic} from the beginning (all partitions, no consumer group) with {@code
   * isolation.level=read_committed} until {@code count} records matching {@code filter} arrived or
   * {@code timeout} passed; returns what arrived (possibly fewer, so the caller's assertion fails
   * with the real count).
   */
  public static <V> List<ConsumerRecord<String, V>> consume(
      String bootstrap,
      String topic,
      Deserializer<V> valueDeserializer,
      int count,
      Duration timeout,
      Predicate<ConsumerRecord<String, V>> filter) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.CLIENT_ID_CONFIG, "test-reader-" + UUID.randomUUID());
    List<ConsumerRecord<String, V>> received = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), valueDeserializer)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (received.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
          if (filter.test(record)) {
            received.add(record);
          }
        }
      }
    }
    return received;
  }

  /** {@link #consume} with string values and no filter. */
  public static List<ConsumerRecord<String, String>> consumeStrings(
      String bootstrap, String topic, int count, Duration timeout) {
    return consume(bootstrap, topic, new StringDeserializer(), count, timeout, record -> true);
  }

  /** {@link #consume} with raw byte values and no filter. */
  public static List<ConsumerRecord<String, byte[]>> consumeBytes(
      String bootstrap, String topic, int count, Duration timeout) {
    return consume(bootstrap, topic, new ByteArrayDeserializer(), count, timeout, record -> true);
  }
}
