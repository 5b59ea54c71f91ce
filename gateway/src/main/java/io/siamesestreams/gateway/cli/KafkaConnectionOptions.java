package io.siamesestreams.gateway.cli;

import io.siamesestreams.config.KafkaSettings;
import io.siamesestreams.topology.Topics;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --bootstrap} and {@code --config}, with the same names, meaning and precedence as the other
 * commands' (the tools module's {@code KafkaOptions}; see {@link KafkaSettings}: file, then
 * {@code SIAMESE_KAFKA_*} environment variables, then {@code --bootstrap}).
 */
public final class KafkaConnectionOptions {

  @Option(
      names = {"-b", "--bootstrap"},
      paramLabel = "HOST:PORT[,HOST:PORT…]",
      description = "Kafka bootstrap servers (wins over bootstrap.servers from --config and the environment).")
  String bootstrap;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "Kafka client properties file (security.protocol, sasl.*, ssl.*, …; siamese.topic.* renames topics)."
              + " SIAMESE_KAFKA_<NAME> environment variables override it (e.g. SIAMESE_KAFKA_SASL_JAAS_CONFIG).")
  Path config;

  /** The assembled settings (file, then environment, then {@code --bootstrap}). */
  public KafkaSettings settings() {
    return KafkaSettings.load(bootstrap, config);
  }

  /** The topic names, defaults renamed by any {@code siamese.topic.*} keys in the settings. */
  public Topics topics() {
    return Topics.defaults().withOverrides(settings().all());
  }
}
