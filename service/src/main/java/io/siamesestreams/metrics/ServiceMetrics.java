package io.siamesestreams.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.events.MatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The service's meters, recorded by the topology's processors and served by {@link MetricsServer}.
 * Names below are as Prometheus shows them; every tag has a small, fixed set of values (no camera
 * or identity ids, which are unbounded).
 *
 * <ul>
 *   <li>{@code siamese_frames_consumed_total}: frame records read from the frames topic (valid or not);
 *   <li>{@code siamese_frames_embedded_total}: encoder inputs embedded (whole frames, or a face model's faces);
 *   <li>{@code siamese_dead_letters_total{input, reason}}: records sent to the DLQ topic; {@code input}
 *       is {@value #INPUT_FRAMES} or {@value #INPUT_IDENTITIES}, {@code reason} the
 *       {@link io.siamesestreams.records.DeadLetters} reason code;
 *   <li>{@code siamese_match_events_total{decision, mode}}: match events produced;
 *   <li>{@code siamese_embedding_batch_size}: encoder inputs per call (histogram, buckets 1 … 1024);
 *   <li>{@code siamese_embedding_batch_duration_seconds}: wall time of one encoder call (histogram);
 *   <li>{@code siamese_end_to_end_latency_seconds}: frame timestamp → match event produced, i.e.
 *       {@code processedAt − frameTimestamp} of each event (histogram; negative values from clock skew
 *       count as 0);
 *   <li>{@code siamese_frame_stage_seconds_total{stage}}: time spent in each {@link Stage} of the frame
 *       path, summed over frames (wall time on the stream thread, except {@code batch_wait}: the time
 *       frames spent in the buffer waiting for their batch); divided by
 *       {@code siamese_frames_consumed_total} it is the cost split per frame;
 *   <li>{@code siamese_gallery_identities}: identities in this instance's gallery;
 *   <li>{@code siamese_model_info{model_id, model_version, metric}}: always 1, names the served model;
 *   <li>{@code kafka_stream_*}, {@code kafka_consumer_*}, {@code kafka_producer_*}, {@code kafka_admin_*}:
 *       Kafka Streams and its clients, through Micrometer's {@link KafkaStreamsMetrics} binder,
 *       re-read every {@link #KAFKA_METRICS_REFRESH} (Micrometer's default is 60 s), state-store
 *       meters ({@code kafka_stream_state_*}) left out;
 *   <li>{@code jvm_*}, {@code process_*}, {@code system_*}: JVM memory, GC, threads, classes, CPU, uptime.
 * </ul>
 *
 * <p>{@link #disabled()} records nothing at almost no cost, for tests and for a service run without
 * a metrics port. Thread-safe.
 */
public final class ServiceMetrics implements AutoCloseable {

  /** {@code input} tag of a dead-lettered frame. */
  public static final String INPUT_FRAMES = "frames";
  /** {@code input} tag of a dead-lettered enrolment. */
  public static final String INPUT_IDENTITIES = "identities";
  /** How often the Kafka Streams binder looks for new Kafka metrics (Micrometer's default is 60 s). */
  public static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(5);
  /** Kafka Streams state-store meters, left out of the Prometheus registry (see {@link #prometheus()}). */
  public static final String KAFKA_STATE_STORE_METERS = "kafka.stream.state.";
  /** Dead-letter reasons that are not plain codes (or too long) are counted under this tag value. */
  static final String OTHER_REASON = "OTHER";
  private static final Pattern REASON_CODE = Pattern.compile("[A-Za-z0-9_:.\\-]{1,64}");
  private static final ServiceMetrics DISABLED = new ServiceMetrics(new CompositeMeterRegistry());

  private final MeterRegistry registry;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Counter framesConsumed;
  private final Counter framesEmbedded;
  private final DistributionSummary batchSize;
  private final Timer batchDuration;
  private final Timer endToEndLatency;
  private final Map<Stage, LongAdder> stageNanos = new EnumMap<>(Stage.class);
  private final ConcurrentHashMap<String, Counter> deadLetters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> matchEvents = new ConcurrentHashMap<>();

  /**
   * The stages of a frame's way through the service's processors, timed with {@code System.nanoTime}
   * ({@link #stage}). What is not in a stage (Kafka's fetch, transactions, commits, state-store
   * flushes and changelog writes, the broker) is the transport.
   */
  public enum Stage {
    /** JSON parse, field checks and base64 decode of the frame record ({@code FrameDecoder}). */
    PARSE,
    /** Image decode (PNG/JPEG → pixels) by the model's frame embedder. */
    DECODE,
    /** The frame-id de-duplication lookup and put (window store). */
    DEDUPE,
    /** Putting a frame into the batch buffer and, at a flush, reading and deleting the batch (state store). */
    BUFFER,
    /** Wall time frames spent in the buffer until their batch went (not CPU: latency). */
    BATCH_WAIT,
    /** A batch's frames to encoder inputs: pixels, and for a face model detection, landmarks and alignment. */
    FACES,
    /** Encoder calls (ONNX Runtime), as {@code siamese_embedding_batch_duration_seconds}. */
    ENCODE,
    /** 1:N search and 1:1 scoring of a batch against the gallery. */
    SEARCH,
    /** Building the match events and handing them to the sink (JSON serialisation, producer send). */
    EVENT;

    /** The tag value: the name in lower case. */
    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private ServiceMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Stage stage : Stage.values()) {
      LongAdder nanos = new LongAdder();
      stageNanos.put(stage, nanos);
      FunctionCounter.builder("siamese.frame.stage.seconds", nanos, adder -> adder.sum() / 1e9)
          .description("Time spent in each stage of the frame path, summed over frames")
          .tags("stage", stage.tag())
          .register(registry);
    }
    this.framesConsumed = Counter.builder("siamese.frames.consumed")
        .description("Frame records read from the frames topic, valid or not")
        .register(registry);
    this.framesEmbedded = Counter.builder("siamese.frames.embedded")
        .description("Frames embedded by the encoder")
        .register(registry);
    this.batchSize = DistributionSummary.builder("siamese.embedding.batch.size")
        .description("Encoder inputs (frames or faces) per encoder call")
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
        .register(registry);
    this.batchDuration = Timer.builder("siamese.embedding.batch.duration")
        .description("Wall time of one encoder call (decoded tensor in, embeddings out)")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    this.endToEndLatency = Timer.builder("siamese.end.to.end.latency")
        .description("Frame timestamp to match event produced (processedAt - frameTimestamp)")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(120))
        .register(registry);
  }

  /**
   * Meters in a new {@link PrometheusMeterRegistry}, with the JVM and system binders bound; serve
   * them with {@link MetricsServer}.
   */
  public static ServiceMetrics prometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // State-store meters differ in tag keys per store type (rocksdb.state.id, rocksdb.window.state.id),
    // which Prometheus rejects within one name; the dashboards need client and thread meters only.
    registry.config().meterFilter(MeterFilter.denyNameStartsWith(KAFKA_STATE_STORE_METERS));
    ServiceMetrics metrics = new ServiceMetrics(registry);
    new JvmMemoryMetrics().bindTo(metrics.registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(metrics.registry);
    metrics.closeables.add(gc);
    new JvmThreadMetrics().bindTo(metrics.registry);
    new ClassLoaderMetrics().bindTo(metrics.registry);
    new ProcessorMetrics().bindTo(metrics.registry);
    new UptimeMetrics().bindTo(metrics.registry);
    return metrics;
  }

  /** Meters in {@code registry} (no JVM binders), e.g. a {@code SimpleMeterRegistry} in tests. */
  public static ServiceMetrics on(MeterRegistry registry) {
    return new ServiceMetrics(Objects.requireNonNull(registry, "registry"));
  }

  /** Meters that record nothing (an empty composite registry hands out no-op meters); shared. */
  public static ServiceMetrics disabled() {
    return DISABLED;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * The Prometheus text exposition of every meter, in {@code contentType} (the request's
   * {@code Accept} header: OpenMetrics or Prometheus text 0.0.4); empty when the registry is not a
   * Prometheus one.
   */
  public String scrape(String contentType) {
    return registry instanceof PrometheusMeterRegistry prometheus ? prometheus.scrape(contentType) : "";
  }

  /** {@code nanos} nanoseconds spent in {@code stage} (for one frame or one batch). */
  public void stage(Stage stage, long nanos) {
    stageNanos.get(stage).add(nanos);
  }

  /** Nanoseconds spent in {@code stage} so far. */
  public long stageNanos(Stage stage) {
    return stageNanos.get(stage).sum();
  }

  /** Frame records read so far (valid or not). */
  public long framesConsumed() {
    return (long) framesConsumed.count();
  }

  /** One frame record read (before validation). */
  public void frameConsumed() {
    framesConsumed.increment();
  }

  /** One record dead-lettered; {@code reason} is a {@link io.siamesestreams.records.DeadLetters} code. */
  public void deadLettered(String input, String reason) {
    String reasonTag = reason != null && REASON_CODE.matcher(reason).matches() ? reason : OTHER_REASON;
    deadLetters.computeIfAbsent(input + '\u0000' + reasonTag, key -> Counter.builder("siamese.dead.letters")
        .description("Records sent to the dead-letter topic, by input and reason")
        .tags("input", input, "reason", reasonTag)
        .register(registry)).increment();
  }

  /** One encoder call: {@code frames} inputs (whole frames or faces) embedded in {@code nanos} nanoseconds. */
  public void batchEmbedded(int frames, long nanos) {
    framesEmbedded.increment(frames);
    batchSize.record(frames);
    batchDuration.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One match event produced: counted by decision and mode, and its end-to-end latency recorded. */
  public void matchEvent(MatchEvent event) {
    String decision = String.valueOf(event.decision());
    String mode = String.valueOf(event.mode());
    matchEvents.computeIfAbsent(decision + '\u0000' + mode, key -> Counter.builder("siamese.match.events")
        .description("Match events produced, by decision and mode")
        .tags("decision", decision, "mode", mode)
        .register(registry)).increment();
    endToEndLatency.record(Math.max(0, event.processedAt() - event.frameTimestamp()), TimeUnit.MILLISECONDS);
  }

  /**
   * Binds the meters of one running service: the gallery size gauge, the model info gauge and the
   * Kafka Streams binder (closed by the returned handle, which the service closes with itself).
   */
  public AutoCloseable bindService(KafkaStreams streams, ModelManifest manifest, IntSupplier gallerySize) {
    if (this == DISABLED) {
      return () -> { };
    }
    Gauge gallery = Gauge.builder("siamese.gallery.identities", gallerySize, IntSupplier::getAsInt)
        .description("Identities in this instance's gallery (enrolled with the served model version)")
        .strongReference(true)
        .register(registry);
    Gauge model = Gauge.builder("siamese.model.info", () -> 1)
        .description("The model bundle served (always 1)")
        .tags(Tags.of("model_id", manifest.modelId(), "model_version", manifest.modelVersion(),
            "metric", String.valueOf(manifest.distance().metric())))
        .register(registry);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "siamese-kafka-metrics");
      thread.setDaemon(true);
      return thread;
    });
    KafkaStreamsMetrics kafka = new KafkaStreamsMetrics(streams, Tags.empty(), scheduler, KAFKA_METRICS_REFRESH);
    kafka.bindTo(registry);
    return () -> {
      kafka.close();
      scheduler.shutdownNow();
      registry.remove(gallery);
      registry.remove(model);
    };
  }

  /** Closes the binders that hold resources (GC listeners). */
  @Override
  public void close() {
    for (AutoCloseable closeable : closeables) {
      try {
        closeable.close();
      } catch (Exception e) {
        // nothing to do: closing listeners of a JVM that is going away
      }
    }
    closeables.clear();
  }
}
