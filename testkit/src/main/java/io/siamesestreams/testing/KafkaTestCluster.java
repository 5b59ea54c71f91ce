package io.siamesestreams.testing;


/**
 * A real Kafka broker a test talks to: the in-process {@link EmbeddedKafkaExtension} or a
 * Testcontainers {@code apache/kafka} container ({@link ContainerKafka}). Integration tests written
 * against this interface run unchanged on both.
 */
public interface KafkaTestCluster {

  /** {@code host:port} for {@code bootstrap.servers}. */
  String bootstrapServers();
}
