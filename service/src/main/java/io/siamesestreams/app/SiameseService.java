package io.siamesestreams.app;

import io.siamesestreams.api.ApiKeys;
import io.siamesestreams.api.ApiRoutes;
import io.siamesestreams.api.IdentityWriter;
import io.siamesestreams.api.OnDemandMatcher;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.config.ServiceConfig;
import io.siamesestreams.events.MatchEventFeed;
import io.siamesestreams.identity.GalleryView;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.model.LoadedModel;
import io.siamesestreams.topology.DeadLetterExceptionHandlers;
import io.siamesestreams.topology.SiameseTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming verification service: one Kafka Streams application running {@link SiameseTopology}
 * with a model bundle.
 *
 * <p>{@link #start} loads and validates the bundle first (a bad bundle fails there, before anything
 * is consumed), checks whether the gallery was embedded by another model and if so has it
 * re-embedded ({@link GalleryUpgrade}), then starts Kafka Streams and returns; {@link #awaitRunning} waits until
 * the instance has joined its group and restored its state. {@link #close()} stops Kafka Streams
 * (committing what was processed) and then closes the ONNX Runtime sessions.
 *
 * <pre>{@code
 * ServiceSettings settings = ServiceSettings.of(Map.of(ServiceConfig.BOOTSTRAP_SERVERS, "localhost:9092",
 *     ServiceConfig.MODEL_DIR, Path.of("models/fashion-mnist")));
 * try (SiameseService service = SiameseService.start(settings)) {
 *   service.awaitRunning(Duration.ofSeconds(60));
 *   ...
 * }
 * }</pre>
 */
public final class SiameseService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SiameseService.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  /** {@code segment.ms} and {@code max.compaction.lag.ms} of the internal topics the service creates. */
  static final Duration CHANGELOG_SEGMENT = Duration.ofHours(1);

  private final ServiceSettings settings;
  private final LoadedModel model;
  private final SiameseTopology topology;
  private final KafkaStreams streams;
  private final GalleryUpgrade.Result galleryUpgrade;
  private final MatchEventFeed matchEventFeed;
  private volatile AutoCloseable metricsBinding = () -> { };
  private volatile AutoCloseable segmentRoller = () -> { };
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Throwable failure;

  private SiameseService(ServiceSettings settings, LoadedModel model, SiameseTopology topology,
      KafkaStreams streams, GalleryUpgrade.Result galleryUpgrade, MatchEventFeed matchEventFeed) {
    this.matchEventFeed = matchEventFeed;
    this.galleryUpgrade = galleryUpgrade;
    this.settings = settings;
    this.model = model;
    this.topology = topology;
    this.streams = streams;
  }

  /**
   * Loads the bundle, builds the topology and starts Kafka Streams; returns without waiting for
   * the instance to be RUNNING.
   *
   * @throws io.siamesestreams.bundle.BundleValidationException when the bundle is unusable; nothing
   *     was started then
   * @throws GalleryUpgrade.GalleryUpgradeException when the gallery was embedded by another model and
   *     instances of that model still run in the group (see {@link GalleryUpgrade}); nothing was started
   * @throws io.siamesestreams.identity.ThresholdOverrides.InvalidThresholdException when a threshold
   *     override is out of range for the model; nothing was started
   */
  public static SiameseService start(ServiceSettings settings) {
    return start(settings, ServiceMetrics.disabled());
  }

  /**
   * {@link #start(ServiceSettings)} with the topology recording into {@code metrics}, and the
   * service's gallery size, model info and Kafka Streams metrics bound to it until {@link #close()}.
   */
  public static SiameseService start(ServiceSettings settings, ServiceMetrics metrics) {
    LoadedModel model = LoadedModel.open(settings.modelDir(), settings.onnxIntraOpThreads(),
        settings.executionProvider());
    try {
      MatchEventFeed feed = new MatchEventFeed();
      SiameseTopology topology = SiameseTopology.create(settings.topology(), model, metrics, feed);
      Properties properties = streamsProperties(settings);
      ModelManifest loaded = model.manifest();
      properties.putIfAbsent(StreamsConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-"
          + GalleryUpgrade.clientIdTag(loaded.modelId(), loaded.modelVersion()) + "-"
          + UUID.randomUUID().toString().substring(0, 8));
      StreamsConfig config = new StreamsConfig(properties);
      String clusterId;
      boolean otherCluster;
      GalleryUpgrade.Result upgrade;
      Path galleryCheck = settings.stateDir().resolve(settings.applicationId() + ".gallery-check");
      // One admin client for the start-up checks: the cluster's id, then the gallery's model.
      try (Admin admin = Admin.create(config.getAdminConfigs(settings.applicationId() + "-startup"))) {
        clusterId = StateDirectoryGuard.clusterId(admin, settings.bootstrapServers());
        otherCluster = StateDirectoryGuard.belongsToAnotherCluster(settings.stateDir(), settings.applicationId(),
            clusterId);
        if (otherCluster) {
          GalleryUpgrade.Checkpoint.delete(galleryCheck);
        }
        upgrade = GalleryUpgrade.prepare(admin, config, settings.topics().identities().name(),
            settings.topics().identityTemplates().name(), loaded.modelId(), loaded.modelVersion(),
            memberWait(config), galleryCheck);
      }
      KafkaStreams streams = new KafkaStreams(topology.topology(), properties);
      if (otherCluster) {
        streams.cleanUp();
      }
      StateDirectoryGuard.record(settings.stateDir(), settings.applicationId(), clusterId);
      SiameseService service = new SiameseService(settings, model, topology, streams, upgrade, feed);
      streams.setUncaughtExceptionHandler(exception -> {
        service.failure = exception;
        log.error("siamese service: stream thread failed, shutting the client down", exception);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      });
      streams.setStateListener((newState, oldState) -> {
        log.info("siamese service: {} -> {}", oldState, newState);
        if (newState == KafkaStreams.State.NOT_RUNNING || newState == KafkaStreams.State.ERROR) {
          service.stopped.countDown();
        }
      });
      ModelManifest manifest = model.manifest();
      log.info("siamese service starting: model {} version {} (D={}, {} threshold {}, head {}), thresholds {},"
              + " application {}, bootstrap {}, topics [{}], batch {} / {} ms, top-{}, {}",
          manifest.modelId(), manifest.modelVersion(), manifest.output().dimension(), manifest.distance().metric(),
          manifest.decision().threshold(), model.scorer().hasHead() ? "yes" : "no", settings.thresholds(),
          settings.applicationId(), settings.bootstrapServers(), settings.topics(), settings.batchSize(),
          settings.maxWait().toMillis(), settings.topK(), settings.processingGuarantee());
      service.metricsBinding = metrics.bindService(streams, model.manifest(), topology.gallery()::size);
      service.segmentRoller = SegmentRoller.start(config, settings.topics(), settings.applicationId() + "-segment-roller",
          settings.segmentRollInterval());
      streams.start();
      return service;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * How long {@link GalleryUpgrade#prepare} waits for instances of another model to leave the group:
   * a crashed instance is a member until its consumer session times out, plus a margin.
   */
  static Duration memberWait(StreamsConfig config) {
    Object configured = config.getMainConsumerConfigs("group", "client", 0)
        .get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
    long sessionMs = configured == null ? 45_000L : Long.parseLong(configured.toString());
    return Duration.ofMillis(sessionMs).plusSeconds(15);
  }

  /**
   * The Kafka Streams configuration: the service's defaults (earliest offsets; Kafka Streams'
   * dead-letter queue on the DLQ topic with {@link DeadLetterExceptionHandlers}, also for the
   * global thread; producer requests up to 8 MiB), overridden by
   * {@link ServiceSettings#kafkaProperties()}, overridden by the settings the service defines under
   * Kafka's names (bootstrap servers, application id, state dir, processing guarantee, stream threads)
   * and the RocksDB memory bound its config setter reads.
   */
  public static Properties streamsProperties(ServiceSettings settings) {
    Properties props = new Properties();
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, settings.topics().framesDlq().name());
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterExceptionHandlers.Processing.class.getName());
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterExceptionHandlers.Deserialization.class.getName());
    // A failure in the gallery updater (global thread) is logged and skipped rather than stopping
    // the instance; Kafka Streams 4.4 sends no dead letters from global processors.
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
    // Dead letters carry the original frame, up to the DLQ topic's 8 MiB (topics/frames-dlq.json).
    props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Integer.toString(8 * 1024 * 1024));
    props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class.getName());
    // Changelogs (the frame buffer's holds camera frames) roll and compact hourly instead of after Kafka's
    // 7 days or 1 GB, so processed frames leave them within hours while frames flow (README, "What stays where").
    props.put(StreamsConfig.topicPrefix(TopicConfig.SEGMENT_MS_CONFIG), Long.toString(CHANGELOG_SEGMENT.toMillis()));
    props.put(StreamsConfig.topicPrefix(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG),
        Long.toString(CHANGELOG_SEGMENT.toMillis()));
    props.putAll(settings.kafkaProperties());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
    props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, settings.processingGuarantee());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(settings.streamThreads()));
    props.put(ServiceConfig.ROCKSDB_MEMORY_BYTES, Long.toString(settings.rocksDbMemoryBytes()));
    return props;
  }

  /** What the start-up check of the gallery against the loaded model found and did. */
  public GalleryUpgrade.Result galleryUpgrade() {
    return galleryUpgrade;
  }

  /** The Kafka Streams client state. */
  public KafkaStreams.State state() {
    return streams.state();
  }

  /**
   * Stream threads of this client that have died or are dying (configured {@code num.stream.threads}
   * minus the live ones); 0 outside RUNNING and REBALANCING, where the client state tells.
   */
  public int deadStreamThreads() {
    try {
      long alive = streams.metadataForLocalThreads().stream()
          .filter(thread -> !thread.threadState().equals("DEAD") && !thread.threadState().equals("PENDING_SHUTDOWN"))
          .count();
      return (int) Math.max(0, settings.streamThreads() - alive);
    } catch (IllegalStateException notRunningOrRebalancing) {
      return 0;
    }
  }

  /**
   * Waits until the instance is RUNNING (joined, tasks assigned, state restored).
   *
   * @throws IllegalStateException when it is not RUNNING within {@code timeout}, or has failed
   */
  public void awaitRunning(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      KafkaStreams.State state = streams.state();
      if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
          || state == KafkaStreams.State.PENDING_SHUTDOWN || state == KafkaStreams.State.PENDING_ERROR) {
        throw new IllegalStateException("siamese service stopped in state " + state, failure);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("siamese service not RUNNING after " + timeout + ", state " + state);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the service", e);
      }
    }
  }

  /**
   * Blocks until the service stops (closed, or failed).
   *
   * @return true when it stopped within {@code timeout}
   */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The failure that stopped a stream thread, or null. */
  public Throwable failure() {
    return failure;
  }

  public ModelManifest manifest() {
    return model.manifest();
  }

  public ServiceSettings settings() {
    return settings;
  }

  /** The running topology (its {@code describe()} is useful in logs). */
  public Topology topology() {
    return topology.topology();
  }

  /** Identities in this instance's gallery (enrolled with this model version). */
  public int gallerySize() {
    return topology.gallery().size();
  }

  /** This instance's gallery, read-only: what the HTTP API lists and matches against. */
  public GalleryView gallery() {
    return topology.gallery();
  }

  /** The match events this instance's stream threads produce, as they are produced. */
  public MatchEventFeed matchEventFeed() {
    return matchEventFeed;
  }

  /**
   * Verify/identify on demand with this service's model, gallery, thresholds, top-k and record limit:
   * the stream's decision path for one request ({@link OnDemandMatcher}); valid until {@link #close()}.
   */
  public OnDemandMatcher onDemandMatcher() {
    return new OnDemandMatcher(model, topology.gallery(), settings.thresholds().resolve(model.manifest()),
        settings.topK(), settings.maxFrameBytes());
  }

  /**
   * The HTTP API over this service ({@link ApiRoutes}), with its own producer to {@code identities} and
   * {@code read_committed} consumers of {@code match-events} built from the service's Kafka settings;
   * the caller closes it before the service.
   */
  public ApiRoutes apiRoutes(ApiKeys keys) {
    StreamsConfig config = new StreamsConfig(streamsProperties(settings));
    String clientId = settings.applicationId() + "-api";
    IdentityWriter writer = new IdentityWriter(config.getProducerConfigs(clientId + "-producer"),
        settings.topics().identities().name(), model.frameEmbedder(), settings.maxFrameBytes());
    return new ApiRoutes(keys, topology.gallery(), onDemandMatcher(), writer, matchEventFeed, () -> {
      java.util.Map<String, Object> consumer = config.getRestoreConsumerConfigs(clientId + "-events-"
          + UUID.randomUUID().toString().substring(0, 8));
      consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
      return new org.apache.kafka.clients.consumer.KafkaConsumer<>(consumer,
          new org.apache.kafka.common.serialization.StringDeserializer(),
          new org.apache.kafka.common.serialization.ByteArrayDeserializer());
    }, settings.topics().matchEvents().name(), settings.maxFrameBytes());
  }

  /** Template records the gallery ignored since start (another model id/version or dimension). */
  public long ignoredTemplates() {
    return topology.ignoredTemplates();
  }

  /**
   * Stops Kafka Streams (waiting up to 30 s), then closes the model's ONNX Runtime sessions. When
   * Kafka Streams does not stop in time the sessions are left open, since a stream thread may
   * still be using them.
   */
  @Override
  public synchronized void close() {
    try {
      closeMetricsBinding();
      closeSegmentRoller();
      // Leaving the group hands this instance's partitions to the others at once (instead of after
      // the session timeout) and lets a restart with another model rewind the enrolments at once.
      if (streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
          .withTimeout(CLOSE_TIMEOUT))) {
        model.close();
      } else {
        log.warn("siamese service: Kafka Streams did not stop within {}; ONNX Runtime sessions left open",
            CLOSE_TIMEOUT);
      }
    } finally {
      stopped.countDown();
    }
  }

  private void closeSegmentRoller() {
    try {
      segmentRoller.close();
    } catch (Exception e) {
      log.warn("siamese service: could not stop the segment roller", e);
    }
  }

  private void closeMetricsBinding() {
    try {
      metricsBinding.close();
    } catch (Exception e) {
      log.warn("siamese service: could not unbind metrics", e);
    }
  }
}
