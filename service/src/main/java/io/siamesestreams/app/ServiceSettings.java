package io.siamesestreams.app;

import io.siamesestreams.config.KafkaSettings;
import io.siamesestreams.config.ServiceConfig;
import io.siamesestreams.identity.ThresholdOverrides;
import io.siamesestreams.onnx.ExecutionProvider;
import io.siamesestreams.topology.Topics;
import io.siamesestreams.topology.TopologySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Everything {@link SiameseService#start} needs: a typed view of a {@link ServiceConfig}, where each
 * setting is defined (key, default, validation, doc). Build one with {@link #of(Map)} from
 * configuration keys and derive others with {@link #with(Map)}:
 *
 * <pre>{@code
 * ServiceSettings settings = ServiceSettings.of(Map.of(
 *     ServiceConfig.BOOTSTRAP_SERVERS, "localhost:9092", ServiceConfig.MODEL_DIR, Path.of("models/fashion-mnist")));
 * ServiceSettings perRecord = settings.with(Map.of(ServiceConfig.BATCH_SIZE, 1));
 * }</pre>
 */
public final class ServiceSettings {

  private final ServiceConfig config;

  private ServiceSettings(ServiceConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** The view of {@code config}. */
  public static ServiceSettings from(ServiceConfig config) {
    return new ServiceSettings(config);
  }

  /**
   * The settings of {@code settings} (see {@link ServiceConfig#of}); Kafka client keys pass through.
   *
   * @throws ServiceConfig.InvalidSettingException naming the key, for a bad, unknown or missing setting
   */
  public static ServiceSettings of(Map<?, ?> settings) {
    return new ServiceSettings(ServiceConfig.of(settings));
  }

  /** These settings with every key of {@code overrides} set to its value there. */
  public ServiceSettings with(Map<?, ?> overrides) {
    Map<Object, Object> merged = new LinkedHashMap<>(config.originals());
    merged.putAll(overrides);
    return of(merged);
  }

  /**
   * ONNX Runtime intra-op threads when {@value ServiceConfig#ONNX_THREADS} is unset: 1 on a machine
   * with at most 2 cores, else 0 (ONNX Runtime's own, one per core). On 2 cores a second intra-op
   * thread spins after every call and takes the core Kafka Streams, the producer and image decoding
   * need (docs/BENCHMARKS.md: +43 % frames/s through the pipeline with 1 thread).
   */
  public static int defaultOnnxIntraOpThreads() {
    return Runtime.getRuntime().availableProcessors() <= 2 ? 1 : 0;
  }

  /** The configuration this is a view of. */
  public ServiceConfig config() {
    return config;
  }

  /** Kafka {@code bootstrap.servers}, e.g. {@code localhost:9092}. */
  public String bootstrapServers() {
    return config.getString(ServiceConfig.BOOTSTRAP_SERVERS);
  }

  /** The model bundle directory ({@code model.json}, {@code encoder.onnx}, {@code head.onnx}). */
  public Path modelDir() {
    return Path.of(config.getString(ServiceConfig.MODEL_DIR));
  }

  /**
   * Kafka client and Kafka Streams settings passed through unchanged (security, timeouts, …): every
   * key that is not one of {@link ServiceConfig#DEFINITION}'s.
   */
  public Properties kafkaProperties() {
    Properties properties = new Properties();
    properties.putAll(config.kafkaProperties());
    return properties;
  }

  public Topics topics() {
    return config.topics();
  }

  /** Kafka Streams {@code application.id} (consumer group, internal topic prefix). */
  public String applicationId() {
    return config.getString(ServiceConfig.APPLICATION_ID);
  }

  /** Kafka Streams {@code state.dir}: as set, else {@code <java.io.tmpdir>/siamese-streams}. */
  public Path stateDir() {
    return config.path(ServiceConfig.STATE_DIR)
        .orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "siamese-streams"));
  }

  /** Frames per batch, at most (≥ 1); one ONNX Runtime call per batch. */
  public int batchSize() {
    return config.getInt(ServiceConfig.BATCH_SIZE);
  }

  /** The longest a frame waits in the buffer for its batch to fill (≥ 1 ms), wall clock. */
  public Duration maxWait() {
    return Duration.ofMillis(config.getLong(ServiceConfig.MAX_WAIT_MS));
  }

  /** Identify candidates per event (≥ 1). */
  public int topK() {
    return config.getInt(ServiceConfig.TOP_K);
  }

  /** Templates kept per identity; extra enrolment images are ignored (≥ 1). */
  public int maxTemplatesPerIdentity() {
    return config.getInt(ServiceConfig.MAX_TEMPLATES_PER_IDENTITY);
  }

  /** Frames (and enrolments) whose serialised value is larger are dead-lettered as RECORD_TOO_LARGE. */
  public int maxFrameBytes() {
    return config.getInt(ServiceConfig.MAX_FRAME_BYTES);
  }

  /** The frame-id de-duplication window of record time; zero: off. */
  public Duration dedupeWindow() {
    return Duration.ofMillis(config.getLong(ServiceConfig.DEDUPE_WINDOW_MS));
  }

  /** {@code exactly_once_v2} or {@code at_least_once}. */
  public String processingGuarantee() {
    return config.getString(ServiceConfig.PROCESSING_GUARANTEE);
  }

  /** Kafka Streams {@code num.stream.threads} (≥ 1). */
  public int streamThreads() {
    return config.getInt(ServiceConfig.STREAM_THREADS);
  }

  /** ONNX Runtime intra-op threads for the encoder; 0 = ONNX Runtime's default (one per core). */
  public int onnxIntraOpThreads() {
    Integer threads = config.getInt(ServiceConfig.ONNX_THREADS);
    return threads == null ? defaultOnnxIntraOpThreads() : threads;
  }

  /** Decision thresholds of this deployment and its cameras over the bundle's. */
  public ThresholdOverrides thresholds() {
    return config.thresholds();
  }

  /** Interval of the segment-roll markers ({@link SegmentRoller}); zero: off. */
  public Duration segmentRollInterval() {
    return Duration.ofMillis(config.getLong(ServiceConfig.ERASURE_ROLL_INTERVAL_MS));
  }

  /** Off-heap memory of all RocksDB stores together, bytes ({@link BoundedRocksDbConfig}). */
  public long rocksDbMemoryBytes() {
    return config.getLong(ServiceConfig.ROCKSDB_MEMORY_BYTES);
  }

  /** Where ONNX Runtime runs the encoder and the face nets ({@value ServiceConfig#ONNX_EXECUTION_PROVIDER}). */
  public ExecutionProvider executionProvider() {
    return ExecutionProvider.parse(config.getString(ServiceConfig.ONNX_EXECUTION_PROVIDER));
  }

  /** Port of the instance's HTTP server (metrics, probes, and with API keys the API and console); 0 = off. */
  public int httpPort() {
    return config.getInt(ServiceConfig.HTTP_PORT);
  }

  /** The HTTP API's keys file, or null: the API and console are off. */
  public Path apiKeysFile() {
    String file = config.getString(ServiceConfig.API_KEYS_FILE);
    return file == null ? null : Path.of(file);
  }

  /** The settings of the topology these settings run. */
  public TopologySettings topology() {
    return new TopologySettings(topics(), batchSize(), maxWait(), topK(), maxTemplatesPerIdentity(), maxFrameBytes(),
        dedupeWindow(), thresholds());
  }

  /** Every setting, sorted, with every secret Kafka property (passwords, JAAS) shown as {@code [hidden]}. */
  @Override
  public String toString() {
    Map<String, Object> shown = new TreeMap<>();
    config.values().forEach(shown::put);
    config.originals().forEach((key, value) -> shown.putIfAbsent(key, value));
    shown.replaceAll((key, value) -> KafkaSettings.isSecret(key) ? "[hidden]" : value);
    return "ServiceSettings" + shown;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ServiceSettings settings && settings.config.equals(config);
  }

  @Override
  public int hashCode() {
    return config.hashCode();
  }
}
