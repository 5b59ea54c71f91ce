package io.siamesestreams.config;

import io.siamesestreams.topology.Topics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The Kafka connection options every client command takes (a picocli mixin): {@code --bootstrap} and
 * {@code --config}. See
 * {@link KafkaSettings} for how the file, {@code SIAMESE_KAFKA_*} environment variables and {@code
 * --bootstrap} combine.
 */
public final class KafkaOptions {

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

  /** {@code --bootstrap} as given, or null. */
  public String bootstrap() {
    return bootstrap;
  }

  /** {@code --config} as given, or null. */
  public Path config() {
    return config;
  }

  /** The assembled settings (file, then environment, then {@code --bootstrap}). */
  public KafkaSettings settings() {
    return KafkaSettings.load(bootstrap, config);
  }

  /**
   * The topic names, defaults renamed by any {@code siamese.topic.*} key in the settings, or by a
   * {@code SIAMESE_TOPIC_*} environment variable (winning, as for {@code siamese run}; {@link ServiceConfig}).
   */
  public Topics topics() {
    return topics(settings(), System.getenv());
  }

  static Topics topics(KafkaSettings settings, Map<String, String> environment) {
    Map<String, String> keys = new LinkedHashMap<>(settings.all());
    environment.forEach((name, value) -> {
      if (name.startsWith(TOPIC_VARIABLE_PREFIX)) {
        keys.put(ServiceConfig.SERVICE_PREFIX + KafkaSettings.environmentNameToKey(name.substring("SIAMESE_".length())),
            value);
      }
    });
    return Topics.defaults().withOverrides(keys);
  }

  private static final String TOPIC_VARIABLE_PREFIX = "SIAMESE_TOPIC_";
}
