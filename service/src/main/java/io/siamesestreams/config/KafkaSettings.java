package io.siamesestreams.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka client settings assembled without code changes, so any deployment (TLS, SASL, cloud
 * brokers) is a matter of configuration.
 *
 * <p>Sources, later ones winning:
 *
 * <ol>
 *   <li>a Java properties file ({@code --config FILE}), keys exactly as Kafka documents them;
 *   <li>environment variables named {@code SIAMESE_KAFKA_<NAME>}: the rest of the name is lower-cased,
 *       {@code _} becomes {@code .}, {@code __} becomes {@code _} and {@code ___} becomes {@code -}
 *       (the convention of the common Kafka container images). {@code SIAMESE_KAFKA_SECURITY_PROTOCOL}
 *       → {@code security.protocol}, {@code SIAMESE_KAFKA_SASL_JAAS_CONFIG} → {@code
 *       sasl.jaas.config};
 *   <li>{@code --bootstrap HOST:PORT} → {@code bootstrap.servers}.
 * </ol>
 *
 * <p>Every key is passed on to the Kafka clients as is. {@link #forProducer()}, {@link
 * #forConsumer()} and {@link #forAdmin()} keep only the keys that client knows (so it does not warn
 * about the others); {@link #all()} keeps everything (Kafka Streams takes prefixed client keys too).
 *
 * <p>Secrets are never printed: {@link #describe()} masks every value whose key Kafka declares as a
 * password or whose name mentions a password, secret, JAAS config, token, credentials or key
 * material (see {@link #isSecret(String)}).
 */
public final class KafkaSettings {

  /** Prefix of the environment variables read by {@link #fromEnvironment(Map)}. */
  public static final String ENV_PREFIX = "SIAMESE_KAFKA_";

  static final String MASK = "[hidden]";

  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i).*(password|secret|jaas|token|credential|user\\.info|private|\\.key$|keystore\\.key|api\\.key).*");

  private static final Set<String> PASSWORD_KEYS = passwordKeys();

  private final Map<String, String> values;

  private KafkaSettings(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  /** No settings at all. */
  public static KafkaSettings empty() {
    return new KafkaSettings(Map.of());
  }

  /**
   * The usual assembly for a command: {@code configFile} (may be null), then the process
   * environment, then {@code bootstrap} (may be null).
   */
  public static KafkaSettings load(String bootstrap, Path configFile) {
    return load(bootstrap, configFile, System.getenv());
  }

  /** {@link #load(String, Path)} with an explicit environment (for tests). */
  public static KafkaSettings load(String bootstrap, Path configFile, Map<String, String> environment) {
    KafkaSettings settings = configFile == null ? empty() : fromFile(configFile);
    settings = settings.overriddenBy(fromEnvironment(environment));
    if (bootstrap != null && !bootstrap.isBlank()) {
      settings = settings.with(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap.trim());
    }
    return settings;
  }

  /** Reads a Java properties file (UTF-8). */
  public static KafkaSettings fromFile(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Kafka settings from " + file, e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key).trim()));
    return new KafkaSettings(values);
  }

  /** The {@code SIAMESE_KAFKA_*} variables of {@code environment}, translated to Kafka keys. */
  public static KafkaSettings fromEnvironment(Map<String, String> environment) {
    Map<String, String> values = new LinkedHashMap<>();
    environment.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
            values.put(environmentNameToKey(name.substring(ENV_PREFIX.length())), value);
          }
        });
    return new KafkaSettings(values);
  }

  /**
   * {@code SECURITY_PROTOCOL} → {@code security.protocol}; {@code __} → {@code _}; {@code ___} →
   * {@code -}.
   */
  public static String environmentNameToKey(String name) {
    StringBuilder key = new StringBuilder();
    String lower = name.toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < lower.length()) {
      char c = lower.charAt(i);
      if (c != '_') {
        key.append(c);
        i++;
        continue;
      }
      int run = 0;
      while (i + run < lower.length() && lower.charAt(i + run) == '_') {
        run++;
      }
      key.append(run == 1 ? "." : run == 2 ? "_" : run == 3 ? "-" : "_".repeat(run));
      i += run;
    }
    return key.toString();
  }

  /** A copy with {@code key} set to {@code value}. */
  public KafkaSettings with(String key, String value) {
    Map<String, String> copy = new LinkedHashMap<>(values);
    copy.put(key, value);
    return new KafkaSettings(copy);
  }

  /** A copy with every key of {@code other} set to its value there. */
  public KafkaSettings overriddenBy(KafkaSettings other) {
    Map<String, String> copy = new LinkedHashMap<>(values);
    copy.putAll(other.values);
    return new KafkaSettings(copy);
  }

  /** {@code bootstrap.servers}, or null when not set. */
  public String bootstrapServers() {
    return values.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
  }

  /** {@link #bootstrapServers()}, failing with a message fit for a command-line user when missing. */
  public String requireBootstrapServers() {
    String bootstrap = bootstrapServers();
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException(
          "no Kafka bootstrap servers: pass --bootstrap HOST:PORT, set bootstrap.servers in --config, or"
              + " set SIAMESE_KAFKA_BOOTSTRAP_SERVERS");
    }
    return bootstrap;
  }

  /** Every key, sorted, unmodifiable (for Kafka Streams, which accepts prefixed client keys). */
  public Map<String, String> all() {
    return values;
  }

  /** A new mutable map of {@link #all()} typed for the Kafka client constructors. */
  public Map<String, Object> toClientConfig() {
    return new LinkedHashMap<>(values);
  }

  /** The keys a {@code KafkaProducer} knows. */
  public Map<String, Object> forProducer() {
    return filtered(ProducerConfig.configNames());
  }

  /** The keys a {@code KafkaConsumer} knows. */
  public Map<String, Object> forConsumer() {
    return filtered(ConsumerConfig.configNames());
  }

  /** The keys an {@code Admin} client knows. */
  public Map<String, Object> forAdmin() {
    return filtered(AdminClientConfig.configNames());
  }

  private Map<String, Object> filtered(Set<String> known) {
    Map<String, Object> config = new LinkedHashMap<>();
    values.forEach(
        (key, value) -> {
          if (known.contains(key)) {
            config.put(key, value);
          }
        });
    return config;
  }

  /**
   * Whether the value of {@code key} must never be printed: a key the Kafka clients or Streams declare as
   * a password, also behind a prefix ({@code producer.}, {@code main.consumer.}, {@code
   * listener.name.<l>.}, …), or a name that mentions a password, secret, JAAS config, token,
   * credentials, user info or key material.
   */
  public static boolean isSecret(String key) {
    if (PASSWORD_KEYS.contains(key) || SECRET_NAME.matcher(key).matches()) {
      return true;
    }
    for (int dot = key.indexOf('.'); dot >= 0; dot = key.indexOf('.', dot + 1)) {
      if (PASSWORD_KEYS.contains(key.substring(dot + 1))) {
        return true;
      }
    }
    return false;
  }

  /** {@code key=value} lines, sorted, secrets replaced by {@value #MASK}; safe to log. */
  public String describe() {
    return masked().entrySet().stream()
        .map(entry -> entry.getKey() + "=" + entry.getValue())
        .collect(Collectors.joining(System.lineSeparator()));
  }

  /** {@link #all()} with secret values replaced by {@value #MASK}. */
  public Map<String, String> masked() {
    Map<String, String> masked = new TreeMap<>();
    values.forEach((key, value) -> masked.put(key, isSecret(key) ? MASK : value));
    return masked;
  }

  /** Masked, like {@link #describe()}: a settings object never prints a secret. */
  @Override
  public String toString() {
    return "KafkaSettings" + masked();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KafkaSettings settings && settings.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  private static Set<String> passwordKeys() {
    Set<String> keys = new java.util.HashSet<>();
    for (ConfigDef def :
        new ConfigDef[] {
          ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef(),
          StreamsConfig.configDef()
        }) {
      def.configKeys().forEach(
          (name, key) -> {
            if (key.type == ConfigDef.Type.PASSWORD) {
              keys.add(name);
            }
          });
    }
    return Set.copyOf(keys);
  }
}
