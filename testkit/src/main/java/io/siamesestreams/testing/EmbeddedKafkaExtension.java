package io.siamesestreams.testing;

import io.siamesestreams.broker.BrokerSettings;
import io.siamesestreams.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real in-process KRaft broker ({@link EmbeddedKafkaBroker}) per test class, on free ports with a
 * temporary data directory, started before the first test and stopped after the last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
 * ... KAFKA.bootstrapServers() ...
 * }</pre>
 *
 * <p>Test methods and constructors may also declare a {@link KafkaTestCluster} or {@link
 * EmbeddedKafkaBroker} parameter. The broker does not create topics automatically: create them with
 * {@link KafkaTestSupport#createTopics} or the {@code TopicsApplier}.
 */
public final class EmbeddedKafkaExtension
    implements KafkaTestCluster, BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private final BrokerSettings settings;
  private EmbeddedKafkaBroker broker;

  public EmbeddedKafkaExtension() {
    this(BrokerSettings.ephemeral());
  }

  public EmbeddedKafkaExtension(BrokerSettings settings) {
    this.settings = settings;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (broker == null) {
      broker = EmbeddedKafkaBroker.start(settings);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }

  /** The running broker; fails outside the test class's lifetime. */
  public EmbeddedKafkaBroker broker() {
    if (broker == null) {
      throw new IllegalStateException("the broker runs only between beforeAll and afterAll");
    }
    return broker;
  }

  @Override
  public String bootstrapServers() {
    return broker().bootstrapServers();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KafkaTestCluster.class || type == EmbeddedKafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedKafkaBroker.class ? broker() : this;
  }
}
