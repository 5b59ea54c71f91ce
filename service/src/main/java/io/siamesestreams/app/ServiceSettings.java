package io.siamesestreams.app;

import io.siamesestreams.config.KafkaSettings;
import io.siamesestreams.identity.ThresholdOverrides;
import io.siamesestreams.onnx.ExecutionProvider;
import io.siamesestreams.topology.Topics;
import io.siamesestreams.topology.TopologySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything {@link SiameseService#start} needs. Start from {@link #defaults(String, Path)} and
 * change what you need with the {@code with…} methods.
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}, e.g. {@code localhost:9092}
 * @param modelDir the model bundle directory ({@code model.json}, {@code encoder.onnx}, {@code head.onnx})
 * @param kafkaProperties Kafka client and Kafka Streams settings passed through unchanged (security,
 *     timeouts, …); they win over the service's defaults except {@code bootstrap.servers},
 *     {@code application.id}, {@code state.dir} and {@code processing.guarantee}, which come from
 *     the fields here
 * @param topics topic names
 * @param applicationId Kafka Streams {@code application.id} (consumer group, internal topic prefix)
 * @param stateDir Kafka Streams {@code state.dir} (RocksDB stores, checkpoints)
 * @param batchSize frames per batch, at most (≥ 1); one ONNX Runtime call per batch
 * @param maxWait the longest a frame waits in the buffer for its batch to fill (≥ 1 ms), wall clock
 * @param topK identify candidates per event (≥ 1)
 * @param maxTemplatesPerIdentity templates kept per identity; extra enrolment images are ignored (≥ 1)
 * @param maxFrameBytes frames (and enrolments) whose serialised value is larger are dead-lettered
 *     with RECORD_TOO_LARGE
 * @param dedupeWindow a frame whose {@code frameId} was already seen on the same camera key within
 *     this window of record time is dead-lettered as DUPLICATE_FRAME_ID; zero turns it off
 * @param processingGuarantee {@code exactly_once_v2} (default) or {@code at_least_once}
 * @param streamThreads Kafka Streams {@code num.stream.threads} (≥ 1)
 * @param onnxIntraOpThreads ONNX Runtime intra-op threads for the encoder; 0 = ONNX Runtime's default
 *     (one per core); {@link #defaults} takes {@link #defaultOnnxIntraOpThreads()}
 * @param thresholds decision thresholds of this deployment and its cameras over the bundle's
 *     ({@code siamese.decision.threshold}, {@code siamese.camera.<cameraId>.threshold})
 * @param executionProvider where ONNX Runtime runs the encoder and the face nets ({@value
 *     ExecutionProvider#SETTING}; default CPU)
 */
public record ServiceSettings(
    String bootstrapServers,
    Path modelDir,
    Properties kafkaProperties,
    Topics topics,
    String applicationId,
    Path stateDir,
    int batchSize,
    Duration maxWait,
    int topK,
    int maxTemplatesPerIdentity,
    int maxFrameBytes,
    Duration dedupeWindow,
    String processingGuarantee,
    int streamThreads,
    int onnxIntraOpThreads,
    ThresholdOverrides thresholds,
    ExecutionProvider executionProvider) {

  public static final String DEFAULT_APPLICATION_ID = "siamese-streams";
  public static final int DEFAULT_BATCH_SIZE = 32;
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(20);
  public static final int DEFAULT_TOP_K = 5;
  public static final int DEFAULT_MAX_TEMPLATES_PER_IDENTITY = 100;
  /** 1 MiB, the broker's default {@code message.max.bytes}. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

  /**
   * ONNX Runtime intra-op threads by default: 1 on a machine with at most 2 cores, else 0 (ONNX
   * Runtime's own, one per core). On 2 cores a second intra-op thread spins after every call and
   * takes the core Kafka Streams, the producer and image decoding need (docs/BENCHMARKS.md:
   * +43 % frames/s through the pipeline with 1 thread).
   */
  public static int defaultOnnxIntraOpThreads() {
    return Runtime.getRuntime().availableProcessors() <= 2 ? 1 : 0;
  }
  /** The settings with every secret Kafka property (passwords, JAAS) shown as {@code [hidden]}. */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    kafkaProperties.stringPropertyNames().forEach(key ->
        shown.put(key, KafkaSettings.isSecret(key) ? "[hidden]" : kafkaProperties.getProperty(key)));
    return "ServiceSettings[bootstrapServers=" + bootstrapServers + ", modelDir=" + modelDir + ", kafkaProperties="
        + shown + ", topics=" + topics + ", applicationId=" + applicationId + ", stateDir=" + stateDir
        + ", batchSize=" + batchSize + ", maxWait=" + maxWait + ", topK=" + topK + ", maxTemplatesPerIdentity="
        + maxTemplatesPerIdentity + ", maxFrameBytes=" + maxFrameBytes + ", dedupeWindow=" + dedupeWindow
        + ", processingGuarantee=" + processingGuarantee + ", streamThreads=" + streamThreads
        + ", onnxIntraOpThreads=" + onnxIntraOpThreads + ", thresholds=" + thresholds + ", executionProvider="
        + executionProvider.setting() + "]";
  }


  public ServiceSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(modelDir, "modelDir");
    kafkaProperties = copy(kafkaProperties);
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(maxWait, "maxWait");
    Objects.requireNonNull(dedupeWindow, "dedupeWindow");
    if (dedupeWindow.isNegative()) {
      throw new IllegalArgumentException("dedupeWindow must not be negative, was " + dedupeWindow);
    }
    Objects.requireNonNull(processingGuarantee, "processingGuarantee");
    Objects.requireNonNull(thresholds, "thresholds");
    Objects.requireNonNull(executionProvider, "executionProvider");
    requirePositive("batchSize", batchSize);
    requirePositive("topK", topK);
    requirePositive("maxTemplatesPerIdentity", maxTemplatesPerIdentity);
    requirePositive("maxFrameBytes", maxFrameBytes);
    requirePositive("streamThreads", streamThreads);
    if (maxWait.toMillis() < 1) {
      throw new IllegalArgumentException("maxWait must be at least 1 ms, was " + maxWait);
    }
    if (onnxIntraOpThreads < 0) {
      throw new IllegalArgumentException("onnxIntraOpThreads must be >= 0, was " + onnxIntraOpThreads);
    }
    if (!processingGuarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)
        && !processingGuarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
      throw new IllegalArgumentException("processingGuarantee must be " + StreamsConfig.EXACTLY_ONCE_V2 + " or "
          + StreamsConfig.AT_LEAST_ONCE + ", was " + processingGuarantee);
    }
  }

  /**
   * Defaults: default topic names, application id {@value #DEFAULT_APPLICATION_ID}, state dir
   * {@code <java.io.tmpdir>/siamese-streams}, batches of {@value #DEFAULT_BATCH_SIZE} or 20 ms,
   * top-{@value #DEFAULT_TOP_K}, {@value #DEFAULT_MAX_TEMPLATES_PER_IDENTITY} templates per identity,
   * 1 MiB frames, de-duplication over 10 minutes, exactly_once_v2, one stream thread,
   * {@link #defaultOnnxIntraOpThreads()} ONNX Runtime intra-op threads, the bundle's threshold.
   */
  public static ServiceSettings defaults(String bootstrapServers, Path modelDir) {
    return new ServiceSettings(bootstrapServers, modelDir, new Properties(), Topics.defaults(),
        DEFAULT_APPLICATION_ID, Path.of(System.getProperty("java.io.tmpdir"), "siamese-streams"),
        DEFAULT_BATCH_SIZE, DEFAULT_MAX_WAIT, DEFAULT_TOP_K, DEFAULT_MAX_TEMPLATES_PER_IDENTITY,
        DEFAULT_MAX_FRAME_BYTES, TopologySettings.DEFAULT_DEDUPE_WINDOW, StreamsConfig.EXACTLY_ONCE_V2, 1,
        defaultOnnxIntraOpThreads(), ThresholdOverrides.none(), ExecutionProvider.CPU);
  }

  /** Kafka client and Kafka Streams settings passed through. */
  public ServiceSettings withKafkaProperties(Properties properties) {
    return new ServiceSettings(bootstrapServers, modelDir, properties, topics, applicationId, stateDir, batchSize,
        maxWait, topK, maxTemplatesPerIdentity, maxFrameBytes, dedupeWindow, processingGuarantee, streamThreads,
        onnxIntraOpThreads, thresholds, executionProvider);
  }

  public ServiceSettings withTopics(Topics newTopics) {
    return new ServiceSettings(bootstrapServers, modelDir, kafkaProperties, newTopics, applicationId, stateDir,
        batchSize, maxWait, topK, maxTemplatesPerIdentity, maxFrameBytes, dedupeWindow, processingGuarantee,
        streamThreads, onnxIntraOpThreads, thresholds, executionProvider);
  }

  public ServiceSettings withApplicationId(String id) {
    return new ServiceSettings(bootstrapServers, modelDir, kafkaProperties, topics, id, stateDir, batchSize,
        maxWait, topK, maxTemplatesPerIdentity, maxFrameBytes, dedupeWindow, processingGuarantee, streamThreads,
        onnxIntraOpThreads, thresholds, executionProvider);
  }

  public ServiceSettings withStateDir(Path dir) {
    return new ServiceSettings(bootstrapServers, modelDir, kafkaProperties, topics, applicationId, dir, batchSize,
        maxWait, topK, maxTemplatesPerIdentity, maxFrameBytes, dedupeWindow, processingGuarantee, streamThreads,
        onnxIntraOpThreads, thresholds, executionProvider);
  }

  /** Batch size and the longest a frame may wait for its batch. */
  public ServiceSettings withBatching(int size, Duration wait) {
    return new ServiceSettings(bootstrapServers, modelDir, kafkaProperties, topics, applicationId, stateDir, size,
        wait, topK, maxTemplatesPerIdentity, maxFrameBytes, dedupeWindow, processingGuarantee, streamThreads,
        onnxIntraOpThreads, thresholds, executionProvider);
  }

  public ServiceSettings withTopK(int k) {
    return new ServiceSettings(bootstrapServers, modelDir, kafkaProperties, topics, applicationId, stateDir,
        batchSize, maxWait, k, maxTemplatesPerIdentity, maxFrameBytes, dedupeWindow, processingGuarantee,
        streamThreads, onnxIntraOpThreads, thresholds, executionProvider);
  }

  public ServiceSettings withMaxTemplatesPerIdentity(int max) {
    return new ServiceSettings(bootstrapServers, modelDir, kafkaProperties, topics, applicationId, stateDir,
        batchSize, maxWait, topK, max, maxFrameBytes, dedupeWindow, processingGuarantee, streamThreads,
        onnxIntraOpThreads, thresholds, executionProvider);
  }

  public ServiceSettings withMaxFrameBytes(int max) {
    return new ServiceSettings(bootstrapServers, modelDir, kafkaProperties, topics, applicationId, stateDir,
        batchSize, maxWait, topK, maxTemplatesPerIdentity, max, dedupeWindow, processingGuarantee, streamThreads,
        onnxIntraOpThreads, thresholds, executionProvider);
  }

  /** The frame-id de-duplication window; {@link Duration#ZERO} turns it off. */
  public ServiceSettings withDedupeWindow(Duration window) {
    return new ServiceSettings(bootstrapServers, modelDir, kafkaProperties, topics, applicationId, stateDir,
        batchSize, maxWait, topK, maxTemplatesPerIdentity, maxFrameBytes, window, processingGuarantee,
        streamThreads, onnxIntraOpThreads, thresholds, executionProvider);
  }

  public ServiceSettings withProcessingGuarantee(String guarantee) {
    return new ServiceSettings(bootstrapServers, modelDir, kafkaProperties, topics, applicationId, stateDir,
        batchSize, maxWait, topK, maxTemplatesPerIdentity, maxFrameBytes, dedupeWindow, guarantee, streamThreads,
        onnxIntraOpThreads, thresholds, executionProvider);
  }

  /** Kafka Streams threads and ONNX Runtime intra-op threads (0 = ONNX Runtime's default). */
  public ServiceSettings withThreads(int kafkaStreamThreads, int onnxThreads) {
    return new ServiceSettings(bootstrapServers, modelDir, kafkaProperties, topics, applicationId, stateDir,
        batchSize, maxWait, topK, maxTemplatesPerIdentity, maxFrameBytes, dedupeWindow, processingGuarantee,
        kafkaStreamThreads, onnxThreads, thresholds, executionProvider);
  }

  /** Threshold overrides of this deployment and its cameras (the bundle is not edited). */
  public ServiceSettings withThresholds(ThresholdOverrides overrides) {
    return new ServiceSettings(bootstrapServers, modelDir, kafkaProperties, topics, applicationId, stateDir,
        batchSize, maxWait, topK, maxTemplatesPerIdentity, maxFrameBytes, dedupeWindow, processingGuarantee,
        streamThreads, onnxIntraOpThreads, overrides, executionProvider);
  }

  /** Where ONNX Runtime runs the encoder and the face nets. */
  public ServiceSettings withExecutionProvider(ExecutionProvider provider) {
    return new ServiceSettings(bootstrapServers, modelDir, kafkaProperties, topics, applicationId, stateDir,
        batchSize, maxWait, topK, maxTemplatesPerIdentity, maxFrameBytes, dedupeWindow, processingGuarantee,
        streamThreads, onnxIntraOpThreads, thresholds, provider);
  }

  @Override
  public Properties kafkaProperties() {
    return copy(kafkaProperties);
  }

  private static Properties copy(Properties properties) {
    Properties copy = new Properties();
    if (properties != null) {
      copy.putAll(properties);
    }
    return copy;
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, was " + value);
    }
  }
}
