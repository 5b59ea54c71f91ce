package io.siamesestreams.config;

import io.siamesestreams.identity.ThresholdOverrides;
import io.siamesestreams.metrics.MetricsServer;
import io.siamesestreams.onnx.ExecutionProvider;
import io.siamesestreams.topology.Topics;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The one definition of every setting of {@code siamese run}: key, type, default, validation,
 * importance and doc, in Kafka's {@link ConfigDef} ({@link #DEFINITION}). The {@code run --help}
 * text and the settings table of README.md are generated from it ({@link #markdownTable()}).
 *
 * <p>Keys: the service's own are {@code siamese.<name.with.dots>}; the five that Kafka Streams
 * itself reads keep Kafka's names ({@value #BOOTSTRAP_SERVERS}, {@value #APPLICATION_ID},
 * {@value #STATE_DIR}, {@value #PROCESSING_GUARANTEE}, {@value #STREAM_THREADS}), so each has one
 * key that cannot be set twice under two names. Per-camera thresholds are the key family
 * {@value ThresholdOverrides#CAMERA_PREFIX}{@code <cameraId>}{@value ThresholdOverrides#CAMERA_SUFFIX}
 * ({@link ThresholdOverrides}). Any other key not starting with {@code siamese.} is a Kafka client or
 * Streams setting, passed through unchanged ({@link #kafkaProperties()}).
 *
 * <p>Sources ({@link #load}), later ones winning: the defaults here, the {@code --config} properties
 * file, environment variables, the command-line flags ({@link #FLAGS}). An environment variable
 * {@code SIAMESE_KAFKA_<NAME>} sets the Kafka key {@code <name>} and any other {@code SIAMESE_<NAME>}
 * sets {@code siamese.<name>}, both by {@link KafkaSettings#environmentNameToKey} ({@code _} →
 * {@code .}, {@code __} → {@code _}, {@code ___} → {@code -}). An unknown {@code siamese.} key, a
 * value of the wrong type or out of range, or a missing required setting throws
 * {@link InvalidSettingException} naming the key, the value and where it came from.
 */
public final class ServiceConfig extends AbstractConfig {

  public static final String BOOTSTRAP_SERVERS = CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG;
  public static final String APPLICATION_ID = StreamsConfig.APPLICATION_ID_CONFIG;
  public static final String STATE_DIR = StreamsConfig.STATE_DIR_CONFIG;
  public static final String PROCESSING_GUARANTEE = StreamsConfig.PROCESSING_GUARANTEE_CONFIG;
  public static final String STREAM_THREADS = StreamsConfig.NUM_STREAM_THREADS_CONFIG;
  public static final String MODEL_DIR = "siamese.model.dir";
  public static final String BATCH_SIZE = "siamese.batch.size";
  public static final String MAX_WAIT_MS = "siamese.max.wait.ms";
  public static final String TOP_K = "siamese.top.k";
  public static final String MAX_TEMPLATES_PER_IDENTITY = "siamese.max.templates.per.identity";
  public static final String MAX_FRAME_BYTES = "siamese.max.frame.bytes";
  public static final String DEDUPE_WINDOW_MS = "siamese.dedupe.window.ms";
  public static final String ONNX_THREADS = "siamese.onnx.threads";
  public static final String ONNX_EXECUTION_PROVIDER = ExecutionProvider.SETTING;
  public static final String DECISION_THRESHOLD = ThresholdOverrides.DEPLOYMENT_KEY;
  public static final String TOPIC_FRAMES = Topics.FRAMES_CONFIG;
  public static final String TOPIC_IDENTITIES = Topics.IDENTITIES_CONFIG;
  public static final String TOPIC_IDENTITY_TEMPLATES = Topics.IDENTITY_TEMPLATES_CONFIG;
  public static final String TOPIC_MATCH_EVENTS = Topics.MATCH_EVENTS_CONFIG;
  public static final String TOPIC_FRAMES_DLQ = Topics.FRAMES_DLQ_CONFIG;
  public static final String ERASURE_ROLL_INTERVAL_MS = "siamese.erasure.roll.interval.ms";
  public static final String ROCKSDB_MEMORY_BYTES = "siamese.rocksdb.memory.bytes";
  public static final String HTTP_PORT = "siamese.http.port";
  public static final String API_KEYS_FILE = "siamese.api.keys.file";

  /** Prefix of the service's own keys; every other key is a Kafka setting. */
  public static final String SERVICE_PREFIX = "siamese.";
  public static final String DEFAULT_APPLICATION_ID = "siamese-streams";

  /** Environment variables that start with {@code SIAMESE_} but are not settings (launcher and test fixtures). */
  public static final Set<String> NOT_SETTINGS = Set.of("SIAMESE_JAR", "SIAMESE_REBUILD", "SIAMESE_FACEAPI_TGZ");

  private static final String CAMERA_KEY = ThresholdOverrides.CAMERA_PREFIX + "<cameraId>"
      + ThresholdOverrides.CAMERA_SUFFIX;
  private static final String CAMERA_DOC = "Decision threshold of the frames whose cameraId is <cameraId> (which may"
      + " contain dots), over " + DECISION_THRESHOLD + " and the bundle's; a number in (0, max distance].";

  private static final Range PORT = Range.between(0, 65535);

  /** Every setting of the service, in the order of {@code run --help} and the README table. */
  public static final ConfigDef DEFINITION = new ConfigDef()
      .define(BOOTSTRAP_SERVERS, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new NonEmptyString(), Importance.HIGH,
          "Kafka bootstrap servers, HOST:PORT[,HOST:PORT...].")
      .define(MODEL_DIR, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new NonEmptyString(), Importance.HIGH,
          "Model bundle directory (model.json, encoder.onnx, head.onnx).")
      .define(APPLICATION_ID, Type.STRING, DEFAULT_APPLICATION_ID, new NonEmptyString(), Importance.HIGH,
          "Kafka Streams application.id: the consumer group and the prefix of internal topics.")
      .define(STATE_DIR, Type.STRING, null, nullOr(new NonEmptyString()), Importance.MEDIUM,
          "Kafka Streams state directory (RocksDB stores, checkpoints); unset: <java.io.tmpdir>/siamese-streams.")
      .define(PROCESSING_GUARANTEE, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
          ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE), Importance.MEDIUM,
          "Kafka Streams processing guarantee.")
      .define(STREAM_THREADS, Type.INT, 1, Range.atLeast(1), Importance.MEDIUM,
          "Kafka Streams threads of this instance.")
      .define(BATCH_SIZE, Type.INT, 32, Range.atLeast(1), Importance.MEDIUM,
          "Frames per batch, at most; one ONNX Runtime call per batch (a face model: every face of its frames).")
      .define(MAX_WAIT_MS, Type.LONG, 20L, Range.atLeast(1), Importance.MEDIUM,
          "Longest a frame waits (wall clock) for its batch to fill, ms.")
      .define(TOP_K, Type.INT, 5, Range.atLeast(1), Importance.LOW, "Identify candidates per match event.")
      .define(MAX_TEMPLATES_PER_IDENTITY, Type.INT, 100, Range.atLeast(1), Importance.LOW,
          "Templates kept per identity (the first decodable enrolment images); the others are ignored.")
      .define(MAX_FRAME_BYTES, Type.INT, 1024 * 1024, Range.atLeast(1), Importance.LOW,
          "Frames and enrolments whose serialised value is larger are dead-lettered as RECORD_TOO_LARGE (default:"
              + " the broker's message.max.bytes).")
      .define(DEDUPE_WINDOW_MS, Type.LONG, 600_000L, Range.atLeast(0), Importance.LOW,
          "A frame whose frameId was seen on the same camera within this many ms of record time is dead-lettered"
              + " as DUPLICATE_FRAME_ID; 0 = off.")
      .define(ONNX_THREADS, Type.INT, null, nullOr(Range.atLeast(0)), Importance.MEDIUM,
          "ONNX Runtime intra-op threads of the encoder; 0 = ONNX Runtime's own (one per core); unset: 1 on a"
              + " machine with at most 2 cores, else 0.")
      .define(ONNX_EXECUTION_PROVIDER, Type.STRING, ExecutionProvider.CPU.setting(),
          ValidString.in(ExecutionProvider.CPU.setting(), ExecutionProvider.CUDA.setting()), Importance.MEDIUM,
          "Where ONNX Runtime runs the encoder and the face nets: cpu, or cuda (an NVIDIA GPU with CUDA 12 and"
              + " cuDNN 9, and a service built with the Maven profile -Pgpu); cuda where it is unavailable stops"
              + " start-up.")
      .define(DECISION_THRESHOLD, Type.DOUBLE, null, nullOr(ConfigDef.LambdaValidator.with((name, value) -> {
        double threshold = (Double) value;
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
          throw new ConfigException(name, value, "is outside (0, max distance]");
        }
      }, () -> "(0, max distance]")), Importance.MEDIUM,
          "Decision threshold of this deployment, over the bundle's decision.threshold (unset: the bundle's); a"
              + " number in (0, max distance]: 2 for L2 and 4 for SQUARED_L2 between L2-normalised embeddings.")
      .define(TOPIC_FRAMES, Type.STRING, Topics.DEFAULT_FRAMES, new NonEmptyString(), Importance.MEDIUM,
          "Input topic of camera frames.")
      .define(TOPIC_IDENTITIES, Type.STRING, Topics.DEFAULT_IDENTITIES, new NonEmptyString(), Importance.MEDIUM,
          "Input topic of enrolments (compacted).")
      .define(TOPIC_IDENTITY_TEMPLATES, Type.STRING, Topics.DEFAULT_IDENTITY_TEMPLATES, new NonEmptyString(),
          Importance.MEDIUM, "Topic of the gallery's templates, written and read by the service (compacted).")
      .define(TOPIC_MATCH_EVENTS, Type.STRING, Topics.DEFAULT_MATCH_EVENTS, new NonEmptyString(), Importance.MEDIUM,
          "Output topic of match events.")
      .define(TOPIC_FRAMES_DLQ, Type.STRING, Topics.DEFAULT_FRAMES_DLQ, new NonEmptyString(), Importance.MEDIUM,
          "Output topic of dead letters.")
      .define(ERASURE_ROLL_INTERVAL_MS, Type.LONG, 30_000L, Range.atLeast(0), Importance.LOW,
          "Every this many ms a segment-roll marker goes to every partition of identities and identity-templates,"
              + " so erased identities leave the broker's disks in bounded time; 0 = off.")
      .define(ROCKSDB_MEMORY_BYTES, Type.LONG, 64L * 1024 * 1024, Range.atLeast(8L * 1024 * 1024), Importance.LOW,
          "Off-heap memory of all RocksDB stores of the instance together (block cache and memtables), bytes.")
      .define(HTTP_PORT, Type.INT, MetricsServer.DEFAULT_PORT, PORT, Importance.MEDIUM,
          "Port of the instance's one HTTP server: Prometheus /metrics, /ready (200 when RUNNING; alias /health),"
              + " /live, and with siamese.api.keys.file the API (/api/v1) and the console (/); 0 = off.")
      .define(API_KEYS_FILE, Type.STRING, null, nullOr(new NonEmptyString()), Importance.MEDIUM,
          "File of the HTTP API's keys, one per line: <name>=<viewer|operator|enroller>:<SHA-256 hex of the key>;"
              + " unset: the API and console are off (only /metrics and the probes answer).");

  /**
   * A command-line flag of {@code siamese run} and the key it sets.
   *
   * @param name the flag, e.g. {@code --batch-size}
   * @param key the configuration key it sets
   * @param paramLabel its parameter in the usage text
   */
  public record Flag(String name, String key, String paramLabel) {}

  /** The flags of {@code siamese run} that set a key; help text and defaults come from {@link #DEFINITION}. */
  public static final List<Flag> FLAGS = List.of(
      new Flag("--bootstrap", BOOTSTRAP_SERVERS, "HOST:PORT"),
      new Flag("--model", MODEL_DIR, "DIR"),
      new Flag("--application-id", APPLICATION_ID, "ID"),
      new Flag("--state-dir", STATE_DIR, "DIR"),
      new Flag("--processing-guarantee", PROCESSING_GUARANTEE, "GUARANTEE"),
      new Flag("--stream-threads", STREAM_THREADS, "N"),
      new Flag("--batch-size", BATCH_SIZE, "N"),
      new Flag("--max-wait-ms", MAX_WAIT_MS, "MS"),
      new Flag("--top-k", TOP_K, "K"),
      new Flag("--dedupe-window-ms", DEDUPE_WINDOW_MS, "MS"),
      new Flag("--onnx-threads", ONNX_THREADS, "N"),
      new Flag("--threshold", DECISION_THRESHOLD, "DISTANCE"),
      new Flag("--execution-provider", ONNX_EXECUTION_PROVIDER, "PROVIDER"),
      new Flag("--http-port", HTTP_PORT, "PORT"),
      new Flag("--metrics-port", HTTP_PORT, "PORT"),
      new Flag("--api-keys", API_KEYS_FILE, "FILE"));

  private ServiceConfig(Map<String, ?> validated) {
    super(DEFINITION, validated, false);
  }

  /**
   * The configuration of {@code settings} (keys as in {@link #DEFINITION}, Kafka keys, camera
   * thresholds; values as strings or of the key's type, a {@link Path} for a directory or file).
   *
   * @throws InvalidSettingException naming the key, for an unknown {@code siamese.} key, a bad value,
   *     or a required key that is missing
   */
  public static ServiceConfig of(Map<?, ?> settings) {
    Map<String, Object> values = new LinkedHashMap<>();
    settings.forEach((key, value) -> {
      String name = String.valueOf(key);
      Object normalised = value instanceof Path path ? path.toString() : value;
      check(name, normalised, "settings");
      values.put(name, normalised);
    });
    return validated(values);
  }

  /**
   * The configuration from the defaults, then {@code configFile} (may be null), then the
   * {@code SIAMESE_*} variables of {@code environment}, then {@code flags} (flag name as in
   * {@link #FLAGS} → value as given), later sources winning.
   *
   * @throws InvalidSettingException naming the key, its value and its source
   * @throws UncheckedIOException when the file cannot be read
   */
  public static ServiceConfig load(Map<String, String> flags, Path configFile, Map<String, String> environment) {
    Map<String, Object> values = new LinkedHashMap<>();
    if (configFile != null) {
      String source = "--config " + configFile;
      readProperties(configFile).forEach((key, value) -> put(values, key, value, source));
    }
    new TreeMap<>(environment).forEach((name, value) -> {
      if (name.startsWith("SIAMESE_") && !NOT_SETTINGS.contains(name) && !name.equals(KafkaSettings.ENV_PREFIX)) {
        String key = name.startsWith(KafkaSettings.ENV_PREFIX)
            ? KafkaSettings.environmentNameToKey(name.substring(KafkaSettings.ENV_PREFIX.length()))
            : SERVICE_PREFIX + KafkaSettings.environmentNameToKey(name.substring("SIAMESE_".length()));
        put(values, key, value, "environment variable " + name);
      }
    });
    flags.forEach((name, value) -> {
      Flag flag = FLAGS.stream().filter(f -> f.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no flag " + name + " in ServiceConfig.FLAGS"));
      put(values, flag.key(), value, name);
    });
    return validated(values);
  }

  private static void put(Map<String, Object> values, String key, String value, String source) {
    String trimmed = value == null ? null : value.trim();
    check(key, trimmed, source);
    values.put(key, trimmed);
  }

  /** {@code values}, each already {@link #check}ed, once every required key is there. */
  private static ServiceConfig validated(Map<String, Object> values) {
    for (ConfigDef.ConfigKey key : DEFINITION.configKeys().values()) {
      if (!key.hasDefault() && values.get(key.name) == null) {
        throw new InvalidSettingException(key.name, null, key.name + " is not set: " + whereToSet(key.name));
      }
    }
    return new ServiceConfig(values);
  }

  /** Checks one setting alone: unknown service key, type, validator; camera keys as {@link ThresholdOverrides}. */
  private static void check(String key, Object value, String source) {
    ConfigDef.ConfigKey defined = DEFINITION.configKeys().get(key);
    if (defined != null) {
      try {
        Object parsed = ConfigDef.parseType(key, value, defined.type);
        if (defined.validator != null) {
          defined.validator.ensureValid(key, parsed);
        }
      } catch (ConfigException e) {
        throw new InvalidSettingException(key, value, source, reason(e, key));
      }
    } else if (key.startsWith(ThresholdOverrides.CAMERA_PREFIX)) {
      try {
        ThresholdOverrides.fromConfig(Map.of(key, String.valueOf(value)));
      } catch (ThresholdOverrides.InvalidThresholdException e) {
        throw new InvalidSettingException(key, value, source, e.getMessage());
      }
    } else if (key.startsWith(SERVICE_PREFIX)) {
      throw new InvalidSettingException(key, value, source,
          "unknown key " + key + " (the service's keys are listed by 'siamese run --help' and in README.md,"
              + " \"Settings\")");
    }
  }

  /**
   * One key's value alone, for code that receives it inside another configuration (e.g. the RocksDB
   * config setter, from the Streams config): {@code raw} parsed and validated, or the key's default when null.
   *
   * @throws InvalidSettingException naming the key
   */
  public static Object value(String key, Object raw) {
    ConfigDef.ConfigKey defined = DEFINITION.configKeys().get(key);
    if (defined == null) {
      throw new IllegalArgumentException("no setting " + key + " in ServiceConfig.DEFINITION");
    }
    if (raw == null) {
      return defined.defaultValue;
    }
    check(key, raw, "the Kafka Streams config");
    return ConfigDef.parseType(key, raw, defined.type);
  }

  /** Kafka's message without its "Invalid value V for configuration K: " prefix. */
  private static String reason(ConfigException e, String key) {
    String message = e.getMessage();
    String infix = " for configuration " + key + ": ";
    int at = message.startsWith("Invalid value ") ? message.indexOf(infix) : -1;
    String reason = at < 0 ? message : message.substring(at + infix.length());
    return reason.startsWith("Value ") ? reason.substring("Value ".length()) : reason;
  }

  private static Map<String, String> readProperties(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read --config " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> values = new TreeMap<>();
    properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
    return values;
  }

  /**
   * Every Kafka client and Streams key that is not one of {@link #DEFINITION}'s, unchanged (the
   * defined ones are applied by the service itself).
   */
  public Map<String, Object> kafkaProperties() {
    Map<String, Object> kafka = new TreeMap<>();
    originals().forEach((key, value) -> {
      if (!key.startsWith(SERVICE_PREFIX) && !DEFINITION.configKeys().containsKey(key)) {
        kafka.put(key, value);
      }
    });
    return kafka;
  }

  /** The deployment's and cameras' thresholds ({@value #DECISION_THRESHOLD}, camera keys). */
  public ThresholdOverrides thresholds() {
    Map<String, String> keys = new TreeMap<>();
    originals().forEach((key, value) -> {
      if (key.startsWith(ThresholdOverrides.CAMERA_PREFIX)) {
        keys.put(key, String.valueOf(value));
      }
    });
    ThresholdOverrides cameras = ThresholdOverrides.fromConfig(keys);
    Double deployment = getDouble(DECISION_THRESHOLD);
    return deployment == null ? cameras : cameras.withDeployment(deployment);
  }

  /** The topic names of {@code siamese.topic.*}. */
  public Topics topics() {
    return Topics.named(getString(TOPIC_FRAMES), getString(TOPIC_IDENTITIES), getString(TOPIC_IDENTITY_TEMPLATES),
        getString(TOPIC_MATCH_EVENTS), getString(TOPIC_FRAMES_DLQ));
  }

  /** {@code path} of a key of type string, or empty when unset. */
  public Optional<Path> path(String key) {
    String value = getString(key);
    return value == null ? Optional.empty() : Optional.of(Path.of(value));
  }

  /** The environment variable that sets {@code key}: {@code siamese.batch.size} → {@code SIAMESE_BATCH_SIZE}. */
  public static String environmentVariable(String key) {
    return key.startsWith(SERVICE_PREFIX)
        ? "SIAMESE_" + environmentName(key.substring(SERVICE_PREFIX.length()))
        : KafkaSettings.ENV_PREFIX + environmentName(key);
  }

  private static String environmentName(String key) {
    StringBuilder name = new StringBuilder();
    for (char c : key.toCharArray()) {
      name.append(switch (c) {
        case '.' -> "_";
        case '_' -> "__";
        case '-' -> "___";
        default -> String.valueOf(Character.toUpperCase(c));
      });
    }
    return name.toString();
  }

  /** The flag that sets {@code key}, if any: the first of {@link #flags(String)}. */
  public static Optional<Flag> flag(String key) {
    return flags(key).stream().findFirst();
  }

  /** Every flag that sets {@code key} (a flag and its aliases), in {@link #FLAGS} order. */
  public static List<Flag> flags(String key) {
    return FLAGS.stream().filter(flag -> flag.key().equals(key)).toList();
  }

  /** Where a user can set {@code key}: its flag, its environment variable, the {@code --config} file. */
  public static String whereToSet(String key) {
    return flag(key).map(flag -> "pass " + flag.name() + " " + flag.paramLabel() + ", set ").orElse("set ")
        + environmentVariable(key) + ", or " + key + " in --config";
  }

  /** The default of {@code key} as {@code run --help} and the README show it. */
  public static String defaultText(String key) {
    ConfigDef.ConfigKey definition = DEFINITION.configKeys().get(key);
    if (!definition.hasDefault()) {
      return "required";
    }
    return definition.defaultValue == null ? "unset" : ConfigDef.convertToString(definition.defaultValue,
        definition.type);
  }

  /**
   * The settings table of README.md: key, environment variable, flag, type, default, description,
   * one row per definition (and one for the camera thresholds after the deployment's).
   */
  public static String markdownTable() {
    StringBuilder table = new StringBuilder()
        .append("| key | environment variable | flag | type | default | description |\n")
        .append("|---|---|---|---|---|---|\n");
    for (ConfigDef.ConfigKey key : DEFINITION.configKeys().values()) {
      String defaultValue = defaultText(key.name);
      table.append("| `").append(key.name).append("` | `").append(environmentVariable(key.name)).append("` | ")
          .append(flags(key.name).stream().map(flag -> "`" + flag.name() + "`").collect(Collectors.joining(", ")))
          .append(" | ")
          .append(key.type.name().toLowerCase(Locale.ROOT)).append(" | ")
          .append(key.hasDefault() && key.defaultValue != null ? "`" + defaultValue + "`" : defaultValue)
          .append(" | ").append(markdown(key.documentation)).append(" |\n");
      if (key.name.equals(DECISION_THRESHOLD)) {
        table.append("| `").append(CAMERA_KEY).append("` | `SIAMESE_CAMERA_<CAMERAID>_THRESHOLD` |  | double | unset | ")
            .append(markdown(CAMERA_DOC)).append(" |\n");
      }
    }
    return table.toString();
  }

  /** {@code text} safe in a Markdown table cell. */
  private static String markdown(String text) {
    return text.replace("|", "\\|").replace("<", "&lt;");
  }

  private static ConfigDef.Validator nullOr(ConfigDef.Validator validator) {
    return ConfigDef.LambdaValidator.with((name, value) -> {
      if (value != null) {
        validator.ensureValid(name, value);
      }
    }, validator::toString);
  }

  /** A setting that stops start-up: names the key, its value and where it came from. */
  public static final class InvalidSettingException extends ConfigException {

    private final String key;
    private final String source;

    /** {@code key=value (from source): reason}; the value is masked for a key whose value is secret. */
    public InvalidSettingException(String key, Object value, String source, String reason) {
      this(key, source, key + "=" + (KafkaSettings.isSecret(key) ? KafkaSettings.MASK : value) + " (from " + source
          + "): " + reason);
    }

    private InvalidSettingException(String key, String source, String message) {
      super(message);
      this.key = key;
      this.source = source;
    }

    /** The key at fault. */
    public String key() {
      return key;
    }

    /** Where the value came from ({@code --config FILE}, {@code environment variable NAME}, a flag), or null. */
    public String source() {
      return source;
    }
  }
}
