package io.siamesestreams.demo;

import io.siamesestreams.admin.TopicCatalog;
import io.siamesestreams.admin.TopicsApplier;
import io.siamesestreams.app.ServiceSettings;
import io.siamesestreams.app.SiameseService;
import io.siamesestreams.broker.BrokerSettings;
import io.siamesestreams.broker.EmbeddedKafkaBroker;
import io.siamesestreams.cli.RunCommand;
import io.siamesestreams.config.KafkaClients;
import io.siamesestreams.config.KafkaSettings;
import io.siamesestreams.identity.IdentityEnrollment;
import io.siamesestreams.identity.IdentityTemplates;
import io.siamesestreams.metrics.MetricsServer;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.topology.DeadLetters;
import io.siamesestreams.topology.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code siamese demo}: the whole product on one machine. Starts an embedded broker (unless Kafka
 * settings name one), applies the topics, starts the service with the model bundle, enrols one
 * identity per Fashion-MNIST class from a few training images, streams test images from simulated
 * cameras (genuine claims, impostor claims, unclaimed frames, a few malformed ones), scores every
 * match event against the simulator's ground truth, prints progress each second, and returns the
 * {@link DemoSummary} once every frame became an event or a dead letter (or the drain timeout
 * passed).
 */
public final class DemoRunner {

  private static final Logger log = LoggerFactory.getLogger(DemoRunner.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  private final DemoOptions options;
  private final PrintStream progress;
  private final int metricsPort;

  /** @param progress where the per-second progress lines go (stderr for the CLI) */
  public DemoRunner(DemoOptions options, PrintStream progress) {
    this(options, progress, 0);
  }

  /**
   * @param progress where the per-second progress lines go (stderr for the CLI)
   * @param metricsPort serve the service's Prometheus {@code /metrics} and {@code /health} on this
   *     port while the demo runs ({@link MetricsServer}); 0 = no metrics server
   */
  public DemoRunner(DemoOptions options, PrintStream progress, int metricsPort) {
    this.options = options;
    this.progress = progress;
    this.metricsPort = metricsPort;
  }

  public DemoSummary run() throws InterruptedException {
    String runId = UUID.randomUUID().toString().substring(0, 8);
    progress.println("demo: loading Fashion-MNIST from " + options.datasetDirectory());
    FashionMnistImages train = FashionMnistImages.read(options.datasetDirectory(), "train", 2_000);
    FashionMnistImages test = FashionMnistImages.read(options.datasetDirectory(), "t10k", 10_000);

    EmbeddedKafkaBroker broker = null;
    Path stateDirectory = null;
    try {
      KafkaSettings kafka = options.kafka();
      Topics topics;
      if (kafka.bootstrapServers() == null) {
        progress.println("demo: starting an embedded Kafka broker");
        broker = EmbeddedKafkaBroker.start(BrokerSettings.ephemeral());
        kafka = kafka.with("bootstrap.servers", broker.bootstrapServers());
        topics = Topics.defaults().withOverrides(kafka.all());
      } else {
        // A shared broker: private topics so earlier runs do not count.
        topics = Topics.prefixed("demo-" + runId + "-");
      }
      progress.println("demo: Kafka at " + kafka.bootstrapServers() + ", applying topics");
      applyTopics(kafka, topics);

      stateDirectory = Files.createTempDirectory("siamese-demo-state-");
      Properties passthrough = new Properties();
      kafka.all().forEach((key, value) -> {
        if (!key.startsWith(RunCommand.SERVICE_KEY_PREFIX)) {
          passthrough.put(key, value);
        }
      });
      ServiceSettings serviceSettings =
          ServiceSettings.defaults(kafka.bootstrapServers(), options.modelDirectory())
              .withKafkaProperties(passthrough)
              .withTopics(topics)
              .withApplicationId("siamese-demo-" + runId)
              .withStateDir(stateDirectory);
      progress.println("demo: starting the service with " + options.modelDirectory());
      try (ServiceMetrics metrics = metricsPort == 0 ? ServiceMetrics.disabled() : ServiceMetrics.prometheus();
          SiameseService service = SiameseService.start(serviceSettings, metrics);
          MetricsServer metricsServer =
              metricsPort == 0 ? null : MetricsServer.start(metricsPort, metrics, service::state);
          KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "siamese-demo-cameras")) {
        if (metricsServer != null) {
          progress.println("demo: metrics at http://localhost:" + metricsServer.port() + MetricsServer.METRICS_PATH
              + ", readiness at " + MetricsServer.HEALTH_PATH);
        }
        service.awaitRunning(STARTUP_TIMEOUT);
        progress.println("demo: service running (model " + service.manifest().modelId() + " "
            + service.manifest().modelVersion() + "); enrolling " + FashionMnistImages.CLASSES + " identities");
        if (service.manifest().evaluation() != null && !service.manifest().evaluation().isEmpty()) {
          progress.println("demo: the bundle's own evaluation, for comparison: " + service.manifest().evaluation());
        }
        enroll(producer, topics, train);
        awaitTemplates(kafka, topics);
        return stream(kafka, topics, producer, test, runId);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (broker != null) {
        broker.close();
      }
      if (stateDirectory != null) {
        deleteQuietly(stateDirectory);
      }
    }
  }

  private static void applyTopics(KafkaSettings kafka, Topics topics) {
    try (Admin admin = Admin.create(kafka.forAdmin())) {
      List<TopicsApplier.Result> results =
          new TopicsApplier(admin, Duration.ofSeconds(30)).apply(TopicCatalog.bundled().renamed(topics).specs());
      if (!TopicsApplier.allConsistent(results)) {
        throw new IllegalStateException("topics differ from their definitions: " + results);
      }
    }
  }

  /** One enrolment per class: its first {@code imagesPerIdentity} training images, as PNG. */
  private void enroll(KafkaProducer<String, byte[]> producer, Topics topics, FashionMnistImages train)
      throws InterruptedException {
    List<List<String>> imagesByClass = new ArrayList<>();
    for (int c = 0; c < FashionMnistImages.CLASSES; c++) {
      imagesByClass.add(new ArrayList<>());
    }
    for (int i = 0; i < train.size(); i++) {
      List<String> images = imagesByClass.get(train.labels()[i]);
      if (images.size() < options.imagesPerIdentity()) {
        images.add(Base64.getEncoder().encodeToString(
            Png.gray(train.pixels().get(i), FashionMnistImages.SIZE, FashionMnistImages.SIZE)));
      }
    }
    for (int c = 0; c < FashionMnistImages.CLASSES; c++) {
      String id = FashionMnistImages.IDENTITY_IDS.get(c);
      IdentityEnrollment enrollment =
          new IdentityEnrollment(id, FashionMnistImages.CLASS_NAMES.get(c), imagesByClass.get(c));
      producer.send(new ProducerRecord<>(topics.identities().name(), id, Topics.ENROLLMENT_SERDE.toBytes(enrollment)));
    }
    producer.flush();
  }

  /** Waits until the service has written templates for every identity. */
  private void awaitTemplates(KafkaSettings kafka, Topics topics) {
    Set<String> enrolled = new HashSet<>();
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    try (KafkaConsumer<String, byte[]> consumer = KafkaClients.readCommittedConsumer(kafka, "siamese-demo-templates")) {
      assignAll(consumer, List.of(topics.identityTemplates().name()));
      while (enrolled.size() < FashionMnistImages.CLASSES) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("templates for only " + enrolled.size() + " of "
              + FashionMnistImages.CLASSES + " identities after " + STARTUP_TIMEOUT);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          IdentityTemplates templates = Topics.TEMPLATES_SERDE.fromBytes(record.value());
          if (templates != null && templates.templates() != null && !templates.templates().isEmpty()) {
            enrolled.add(record.key());
          }
        }
      }
    }
    progress.println("demo: " + enrolled.size() + " identities enrolled; cameras streaming for "
        + options.duration().toSeconds() + " s at " + options.framesPerSecond() + " frames/s over "
        + options.cameras() + " cameras");
  }

  private DemoSummary stream(
      KafkaSettings kafka, Topics topics, KafkaProducer<String, byte[]> producer, FashionMnistImages test,
      String runId) throws InterruptedException {
    Scoreboard scoreboard = new Scoreboard();
    AtomicBoolean reading = new AtomicBoolean(true);
    Thread reader = new Thread(() -> readOutcomes(kafka, topics, scoreboard, reading), "demo-reader");
    reader.setDaemon(true);
    reader.start();

    long start = System.nanoTime();
    try {
      CameraSimulator cameras = new CameraSimulator(
          producer, topics.frames().name(), test, options.cameras(), scoreboard, options.seed(), runId);
      long end = start + options.duration().toNanos();
      long intervalNanos = (long) (1e9 / options.framesPerSecond());
      long nextFrame = start;
      long nextReport = start + TimeUnit.SECONDS.toNanos(1);
      long framesAtLastReport = 0;
      while (System.nanoTime() < end) {
        long now = System.nanoTime();
        if (now >= nextFrame) {
          cameras.sendNext();
          nextFrame += intervalNanos;
        }
        if (now >= nextReport) {
          long frames = scoreboard.frames();
          progress.println(scoreboard.progress((now - start) / 1e9, frames - framesAtLastReport));
          framesAtLastReport = frames;
          nextReport += TimeUnit.SECONDS.toNanos(1);
        }
        long sleep = Math.min(Math.min(nextFrame, nextReport), end) - System.nanoTime();
        if (sleep > 0) {
          TimeUnit.NANOSECONDS.sleep(sleep);
        }
      }
      producer.flush();

      long drainDeadline = System.nanoTime() + options.drainTimeout().toNanos();
      while (scoreboard.outcomes() < scoreboard.frames() && System.nanoTime() < drainDeadline) {
        Thread.sleep(250);
        if (System.nanoTime() >= nextReport) {
          progress.println(scoreboard.progress((System.nanoTime() - start) / 1e9, 0) + " (draining)");
          nextReport += TimeUnit.SECONDS.toNanos(1);
        }
      }
      // A short grace period so that a duplicate (which would break events + dead letters = frames) shows up.
      Thread.sleep(500);
    } finally {
      reading.set(false);
      reader.join(10_000);
    }
    DemoSummary summary = scoreboard.summary();
    progress.println(scoreboard.progress((System.nanoTime() - start) / 1e9, 0) + " (done)");
    if (!summary.accountedFor()) {
      progress.println("demo: WARNING " + (summary.frames() - summary.events() - summary.deadLettered())
          + " frame(s) without an outcome after " + options.drainTimeout().toSeconds() + " s");
    }
    if (scoreboard.unexpectedEvents() > 0) {
      progress.println("demo: WARNING " + scoreboard.unexpectedEvents() + " event(s) for frames that were malformed or unknown");
    }
    return summary;
  }

  /** Reads match events and dead letters (read_committed) into the scoreboard until told to stop. */
  private static void readOutcomes(KafkaSettings kafka, Topics topics, Scoreboard scoreboard, AtomicBoolean reading) {
    String events = topics.matchEvents().name();
    String deadLetters = topics.framesDlq().name();
    try (KafkaConsumer<String, byte[]> consumer = KafkaClients.readCommittedConsumer(kafka, "siamese-demo-reader")) {
      assignAll(consumer, List.of(events, deadLetters));
      while (reading.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          if (record.topic().equals(events)) {
            try {
              scoreboard.event(Topics.MATCH_EVENT_SERDE.fromBytes(record.value()));
            } catch (SerializationException e) {
              log.warn("unreadable match event at offset {}: {}", record.offset(), e.getMessage());
            }
          } else if (!topics.identities().name()
              .equals(DeadLetters.header(record.headers(), DeadLetters.SOURCE_TOPIC_HEADER))) {
            // every dead letter except rejected enrolments is a frame
            scoreboard.deadLetter();
          }
        }
      }
    } catch (RuntimeException e) {
      log.error("the demo's event reader failed", e);
    }
  }

  private static void assignAll(KafkaConsumer<String, byte[]> consumer, List<String> topicNames) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topicNames) {
      consumer.partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  private static void deleteQuietly(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      log.warn("could not delete {}", directory, e);
    }
  }
}
