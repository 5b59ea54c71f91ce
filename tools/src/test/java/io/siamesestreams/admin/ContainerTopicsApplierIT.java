package io.siamesestreams.admin;

import io.siamesestreams.testing.ContainerKafka;
import io.siamesestreams.testing.KafkaTestCluster;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** {@link TopicsApplier} against {@code apache/kafka} in Docker; skipped cleanly where no Docker engine is reachable. */
@Testcontainers(disabledWithoutDocker = true)
class ContainerTopicsApplierIT extends TopicsApplierContract {

  @Container static final KafkaContainer KAFKA = ContainerKafka.newContainer();

  @Override
  protected KafkaTestCluster cluster() {
    return ContainerKafka.cluster(KAFKA);
  }
}
