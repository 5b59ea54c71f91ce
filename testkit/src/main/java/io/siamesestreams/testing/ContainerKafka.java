package io.siamesestreams.testing;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers variant of the test broker: Apache Kafka's own {@code apache/kafka} image in
 * KRaft mode. Use it in a class annotated {@code @Testcontainers(disabledWithoutDocker = true)} with
 * a {@code @Container static final KafkaContainer}: where no Docker engine exists, JUnit skips the
 * class cleanly; where one exists, the same tests run against a real broker in a container.
 */
public final class ContainerKafka {

  /** Same Kafka line as the broker jars the embedded broker runs. */
  public static final String IMAGE = "apache/kafka:4.4.0";

  private ContainerKafka() {}

  /** A not-yet-started container; Testcontainers starts it through {@code @Container}. */
  public static KafkaContainer newContainer() {
    return new KafkaContainer(DockerImageName.parse(IMAGE))
        .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
        .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
  }

  /** Wraps a started container as a {@link KafkaTestCluster}. */
  public static KafkaTestCluster cluster(KafkaContainer container) {
    return container::getBootstrapServers;
  }
}
