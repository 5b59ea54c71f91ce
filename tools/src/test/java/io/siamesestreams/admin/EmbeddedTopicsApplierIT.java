package io.siamesestreams.admin;

import io.siamesestreams.testing.EmbeddedKafkaExtension;
import io.siamesestreams.testing.KafkaTestCluster;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TopicsApplier} against the in-process KRaft broker. */
class EmbeddedTopicsApplierIT extends TopicsApplierContract {

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @Override
  protected KafkaTestCluster cluster() {
    return KAFKA;
  }
}
