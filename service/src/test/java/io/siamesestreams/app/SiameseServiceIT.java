package io.siamesestreams.app;

import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestCluster;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SiameseServiceContract} on the in-process KRaft broker (one per class). */
class SiameseServiceIT extends SiameseServiceContract {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @Override
  protected KafkaTestCluster cluster() {
    return KAFKA;
  }
}
