package io.siamesestreams.broker;

import io.siamesestreams.testing.BrokerRoundTripContract;
import io.siamesestreams.testing.ContainerKafka;
import io.siamesestreams.testing.KafkaTestCluster;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same broker checks against Apache Kafka's {@code apache/kafka} image through Testcontainers.
 * Runs where a Docker engine is reachable; JUnit skips the class cleanly where none is.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerKafkaBrokerIT extends BrokerRoundTripContract {

  @Container static final KafkaContainer KAFKA = ContainerKafka.newContainer();

  @Override
  protected KafkaTestCluster cluster() {
    return ContainerKafka.cluster(KAFKA);
  }
}
