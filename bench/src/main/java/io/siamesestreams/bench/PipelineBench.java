package io.siamesestreams.bench;

import io.siamesestreams.config.ServiceConfig;
import io.siamesestreams.admin.TopicCatalog;
import io.siamesestreams.admin.TopicsApplier;
import io.siamesestreams.app.ServiceSettings;
import io.siamesestreams.app.SiameseService;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.config.KafkaClients;
import io.siamesestreams.config.KafkaSettings;
import io.siamesestreams.demo.FashionMnistImages;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.frames.Frame;
import io.siamesestreams.identity.IdentityTemplates;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.topology.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The service through a real broker with the service's own settings (exactly-once v2 unless the
 * caller changes them): frames are PNG images of the bundle's input size, unclaimed (1:N identify
 * against a gallery of random templates), each with its own frame id.
 *
 * <ul>
 *   <li>{@link #saturated}: {@code frames} frames are produced first (a backlog); then a service with
 *       a fresh application id drains them. Throughput = events ÷ the span of their
 *       {@code processedAt}, over the steady part of the run: the first {@value #WARM_UP_SHARE} of
 *       the events are left out ({@link #steadyState}), so start-up and JIT warm-up do not count.
 *   <li>{@link #paced}: frames produced at a fixed rate to a running service; latency = the time
 *       the event became readable (read_committed consumer) − the frame's timestamp (set at send).
 * </ul>
 */
public final class PipelineBench implements AutoCloseable {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  /**
   * A saturated run.
   *
   * @param framesPerSecond frames/s over the steady part of the run
   * @param events events read
   * @param seconds the span measured (the steady part)
   * @param costs where the service's time per frame went over the steady part of the run (null for a
   *     passthrough)
   */
  public record Throughput(double framesPerSecond, int events, double seconds, CostSplit costs) {

    public Throughput(double framesPerSecond, int events, double seconds) {
      this(framesPerSecond, events, seconds, null);
    }
  }

  /**
   * The service's own stage timers ({@code siamese_frame_stage_seconds_total}) divided by the frames
   * it consumed, between two readings: measured inside the running pipeline, not re-implemented.
   *
   * @param microsPerFrame µs per consumed frame for each {@link ServiceMetrics.Stage}
   * @param frames frame records consumed by the service between the readings
   */
  public record CostSplit(Map<ServiceMetrics.Stage, Double> microsPerFrame, long frames) {

    /** The service's stage timers and consumed frames now. */
    record Reading(long[] stageNanos, long frames) {
      static Reading of(ServiceMetrics metrics) {
        long[] nanos = new long[ServiceMetrics.Stage.values().length];
        for (ServiceMetrics.Stage stage : ServiceMetrics.Stage.values()) {
          nanos[stage.ordinal()] = metrics.stageNanos(stage);
        }
        return new Reading(nanos, metrics.framesConsumed());
      }
    }

    static CostSplit between(Reading from, Reading to) {
      long frames = to.frames() - from.frames();
      Map<ServiceMetrics.Stage, Double> micros = new EnumMap<>(ServiceMetrics.Stage.class);
      for (ServiceMetrics.Stage stage : ServiceMetrics.Stage.values()) {
        long nanos = to.stageNanos()[stage.ordinal()] - from.stageNanos()[stage.ordinal()];
        micros.put(stage, frames <= 0 ? Double.NaN : nanos / 1e3 / frames);
      }
      return new CostSplit(micros, frames);
    }

    /** The stages that cost stream-thread time (all but the batch wait, which is latency). */
    public double busyMicrosPerFrame() {
      return microsPerFrame.entrySet().stream().filter(e -> e.getKey() != ServiceMetrics.Stage.BATCH_WAIT)
          .mapToDouble(Map.Entry::getValue).sum();
    }
  }

  private final KafkaSettings kafka;
  private final Path modelDir;
  private final ModelManifest manifest;
  private final Consumer<String> progress;
  private final String prefix;
  private final Topics shared;
  private final List<FaceFrames.FrameImage> images;
  private final Path stateRoot;
  private final KafkaProducer<String, byte[]> producer;
  private long frameSequence;

  /**
   * Applies the shared topics ({@code <prefix>frames}, identities, identity templates) and writes
   * {@code galleryIdentities} random templates of the model's dimension.
   *
   * @param manifest the bundle's manifest (input size, dimension, model id and version)
   * @param datasetDir Fashion-MNIST, used for 28×28 grey inputs when present; otherwise random images
   */
  public PipelineBench(KafkaSettings kafka, Path modelDir, ModelManifest manifest, Path datasetDir, String prefix,
      int galleryIdentities, Consumer<String> progress) {
    this(kafka, modelDir, manifest, frameImages(manifest.input(), datasetDir, 256).stream()
        .map(png -> new FaceFrames.FrameImage(png, png.length() * 3 / 4, null, 1)).toList(), prefix,
        galleryIdentities, progress);
  }

  /**
   * As above with the frames' images given (e.g. {@link FaceFrames}: JPEG face crops with their face
   * box), sent in turn.
   */
  public PipelineBench(KafkaSettings kafka, Path modelDir, ModelManifest manifest, List<FaceFrames.FrameImage> frames,
      String prefix, int galleryIdentities, Consumer<String> progress) {
    this.kafka = kafka;
    this.modelDir = modelDir;
    this.manifest = manifest;
    this.progress = progress;
    this.prefix = prefix;
    this.shared = topics("shared");
    apply(shared);
    this.images = List.copyOf(frames);
    try {
      this.stateRoot = Files.createTempDirectory("siamese-bench-state-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.producer = KafkaClients.producer(kafka, "siamese-bench");
    writeGallery(galleryIdentities);
  }

  /** Topics of one run: the shared frames, identities and templates; its own events and dead letters. */
  private Topics topics(String run) {
    return Topics.named(prefix + "frames", prefix + "identities", prefix + "identity-templates",
        prefix + "match-events-" + run, prefix + "frames-dlq-" + run);
  }

  private void apply(Topics topics) {
    try (Admin admin = Admin.create(kafka.forAdmin())) {
      List<TopicsApplier.Result> results =
          new TopicsApplier(admin, Duration.ofSeconds(30)).apply(TopicCatalog.bundled().renamed(topics).specs());
      if (!TopicsApplier.allConsistent(results)) {
        throw new IllegalStateException("bench topics differ from their definitions: " + results);
      }
    }
  }

  private void writeGallery(int identities) {
    Random random = new Random(11);
    int dimension = manifest.output().dimension();
    for (int i = 0; i < identities; i++) {
      float[] template = GallerySearchBench.randomUnitVector(random, dimension);
      String id = "bench-identity-" + i;
      IdentityTemplates templates = new IdentityTemplates(id, id, manifest.modelId(), manifest.modelVersion(),
          List.of(template), System.currentTimeMillis());
      producer.send(new ProducerRecord<>(shared.identityTemplates().name(), id,
          Topics.TEMPLATES_SERDE.toBytes(templates)));
    }
    producer.flush();
  }

  /** The service settings of a run: defaults, this run's topics, application id and state dir. */
  public ServiceSettings settings(String run) {
    return ServiceSettings.of(Map.of(ServiceConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
            ServiceConfig.MODEL_DIR, modelDir, ServiceConfig.APPLICATION_ID, prefix + "bench-" + run,
            ServiceConfig.STATE_DIR, stateRoot.resolve(run)))
        .with(topics(run).settings());
  }

  /** Produces {@code count} frames to the shared frames topic (every service run reads them from the start). */
  public void produceBacklog(int count) {
    long now = System.currentTimeMillis();
    for (int i = 0; i < count; i++) {
      sendFrame("backlog", now);
    }
    producer.flush();
    progress.accept("bench: " + count + " frames produced to " + shared.frames().name());
  }

  private void sendFrame(String tag, long timestamp) {
    long n = frameSequence++;
    String cameraId = "bench-cam-" + (n % 8 + 1);
    FaceFrames.FrameImage image = images.get((int) (n % images.size()));
    Frame frame = new Frame(tag + "-" + n, cameraId, timestamp, image.image(), null, image.faceBox(),
        image.aligned() ? Boolean.TRUE : null);
    producer.send(new ProducerRecord<>(shared.frames().name(), cameraId, Topics.FRAME_SERDE.toBytes(frame)));
  }

  /**
   * Starts a service with {@code settings} (whose topics must be {@link #settings}' for {@code run}),
   * lets it drain the backlog and reports its throughput; at most {@code timeout} is spent
   * waiting for the {@code expected} events (a slower run reports what it did by then).
   *
   * @param keepRunning receives the running service instead of it being closed (for {@link #paced}); may be null
   */
  public Throughput saturated(String run, ServiceSettings settings, int expected, Duration timeout,
      Consumer<SiameseService> keepRunning) {
    apply(settings.topics());
    ServiceMetrics metrics = ServiceMetrics.on(new SimpleMeterRegistry());
    SiameseService service = SiameseService.start(settings, metrics);
    try (KafkaConsumer<String, byte[]> consumer = KafkaClients.readCommittedConsumer(kafka, "siamese-bench-" + run)) {
      assignAll(consumer, settings.topics().matchEvents().name(), false);
      service.awaitRunning(STARTUP_TIMEOUT);
      List<Long> processedAt = new ArrayList<>(expected);
      // The cost split covers the same steady part as the throughput: from the warm-up share of the events on.
      CostSplit.Reading steadyFrom = null;
      long deadline = System.nanoTime() + timeout.toNanos();
      long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (processedAt.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          processedAt.add(Topics.MATCH_EVENT_SERDE.fromBytes(record.value()).processedAt());
        }
        if (steadyFrom == null && processedAt.size() >= expected * WARM_UP_SHARE) {
          steadyFrom = CostSplit.Reading.of(metrics);
        }
        if (System.nanoTime() > nextReport) {
          progress.accept("bench: " + run + ": " + processedAt.size() + " of " + expected + " events");
          nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        }
      }
      int events = processedAt.size();
      Throughput steady = steadyState(processedAt);
      Throughput throughput = new Throughput(steady.framesPerSecond(), steady.events(), steady.seconds(),
          CostSplit.between(steadyFrom == null ? CostSplit.Reading.of(metrics) : steadyFrom,
              CostSplit.Reading.of(metrics)));
      progress.accept(String.format(Locale.ROOT, "bench: %s: %d events, %.1f frames/s over the last %.2f s%s", run,
          events, throughput.framesPerSecond(), throughput.seconds(),
          events < expected ? " (timed out before all " + expected + ")" : ""));
      if (keepRunning != null) {
        keepRunning.accept(service);
        service = null;
      }
      return throughput;
    } finally {
      if (service != null) {
        service.close();
      }
    }
  }

  /** Share of a saturated run's first events left out as warm-up (JIT compilation, first fetches). */
  static final double WARM_UP_SHARE = 0.25;

  /**
   * Throughput over the steady part of a run: events after the first {@value #WARM_UP_SHARE} of
   * them (by {@code processedAt}) ÷ the span from that event to the last.
   */
  static Throughput steadyState(List<Long> processedAt) {
    long[] times = processedAt.stream().mapToLong(Long::longValue).sorted().toArray();
    if (times.length < 2) {
      return new Throughput(Double.NaN, times.length, 0);
    }
    int from = (int) (times.length * WARM_UP_SHARE);
    long start = times[from];
    // Events stamped in the same millisecond as the start belong to the span's first instant.
    int counted = 0;
    for (int i = from; i < times.length; i++) {
      if (times[i] > start) {
        counted++;
      }
    }
    double seconds = (times[times.length - 1] - start) / 1000.0;
    return new Throughput(seconds > 0 ? counted / seconds : Double.NaN, times.length, seconds);
  }

  /**
   * Produces frames at {@code framesPerSecond} for {@code duration} to the running {@code service}
   * and returns the latencies of the frames sent after {@code warmUp}.
   */
  public LatencySummary paced(SiameseService service, double framesPerSecond, Duration duration, Duration warmUp) {
    String tag = String.format(Locale.ROOT, "paced%.0f-%d", framesPerSecond, System.nanoTime());
    List<Long> latencies = new ArrayList<>();
    AtomicBoolean reading = new AtomicBoolean(true);
    long[] counted = new long[1];
    long startMs = System.currentTimeMillis();
    long measureFromMs = startMs + warmUp.toMillis();
    Thread reader;
    try (KafkaConsumer<String, byte[]> consumer =
        KafkaClients.readCommittedConsumer(kafka, "siamese-bench-latency")) {
      assignAll(consumer, service.settings().topics().matchEvents().name(), true);
      reader = new Thread(() -> {
        while (reading.get()) {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
            long receivedMs = System.currentTimeMillis();
            MatchEvent event = Topics.MATCH_EVENT_SERDE.fromBytes(record.value());
            if (event.frameId().startsWith(tag) && event.frameTimestamp() >= measureFromMs) {
              synchronized (latencies) {
                latencies.add(receivedMs - event.frameTimestamp());
              }
            }
            if (event.frameId().startsWith(tag)) {
              synchronized (counted) {
                counted[0]++;
              }
            }
          }
        }
      }, "bench-latency-reader");
      reader.start();
      long intervalNanos = (long) (1e9 / framesPerSecond);
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      long next = start;
      long sent = 0;
      while (next < end) {
        long now = System.nanoTime();
        if (now < next) {
          LockSupport.parkNanos(Math.min(next - now, 1_000_000));
          continue;
        }
        sendFrame(tag, System.currentTimeMillis());
        sent++;
        next += intervalNanos;
      }
      producer.flush();
      long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < drainDeadline) {
        synchronized (counted) {
          if (counted[0] >= sent) {
            break;
          }
        }
        LockSupport.parkNanos(20_000_000);
      }
      reading.set(false);
      try {
        reader.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long[] values;
    synchronized (latencies) {
      values = latencies.stream().mapToLong(Long::longValue).toArray();
    }
    return LatencySummary.of(values);
  }

  private static void assignAll(KafkaConsumer<String, byte[]> consumer, String topic, boolean atEnd) {
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(info -> new TopicPartition(topic, info.partition())).toList();
    consumer.assign(partitions);
    if (atEnd) {
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
    } else {
      consumer.seekToBeginning(partitions);
    }
  }

  /**
   * Base64 PNGs of the manifest's input size: Fashion-MNIST test images for a 28×28 grey input when
   * {@code datasetDir} holds them, random pixels otherwise.
   */
  static List<String> frameImages(ModelManifest.Input input, Path datasetDir, int count) {
    List<String> encoded = new ArrayList<>(count);
    boolean gray = input.colorMode() == ModelManifest.ColorMode.GRAY;
    if (gray && input.height() == FashionMnistImages.SIZE && input.width() == FashionMnistImages.SIZE
        && datasetDir != null && Files.isRegularFile(datasetDir.resolve("t10k-images-idx3-ubyte.gz"))) {
      FashionMnistImages test = FashionMnistImages.read(datasetDir, "t10k", count);
      for (byte[] pixels : test.pixels()) {
        int[] values = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
          values[i] = pixels[i] & 0xff;
        }
        encoded.add(png(values, input.width(), input.height(), true));
      }
      return encoded;
    }
    Random random = new Random(5);
    for (int i = 0; i < count; i++) {
      int[] values = new int[input.width() * input.height() * (gray ? 1 : 3)];
      for (int p = 0; p < values.length; p++) {
        values[p] = random.nextInt(256);
      }
      encoded.add(png(values, input.width(), input.height(), gray));
    }
    return encoded;
  }

  private static String png(int[] samples, int width, int height, boolean gray) {
    BufferedImage image = new BufferedImage(width, height,
        gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
    // Samples in the raster's band order (grey; or R, G, B); random colour frames need no particular order.
    image.getRaster().setPixels(0, 0, width, height, samples);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
    try (Stream<Path> files = Files.walk(stateRoot)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // Temporary state only.
    }
  }
}
