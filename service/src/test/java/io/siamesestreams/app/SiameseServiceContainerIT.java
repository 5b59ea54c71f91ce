package io.siamesestreams.app;

import io.siamesestreams.testing.ContainerKafka;
import io.siamesestreams.testing.KafkaTestCluster;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@link SiameseServiceContract} on Apache Kafka's own image through Testcontainers; JUnit skips
 * this class where no Docker engine exists.
 */
@Testcontainers(disabledWithoutDocker = true)
class SiameseServiceContainerIT extends SiameseServiceContract {

  @Container
  static final KafkaContainer KAFKA = ContainerKafka.newContainer();

  @Override
  protected KafkaTestCluster cluster() {
    return ContainerKafka.cluster(KAFKA);
  }
}
