package io.siamesestreams.demo;

import io.siamesestreams.config.ServiceConfig;
import io.siamesestreams.admin.TopicCatalog;
import io.siamesestreams.admin.TopicsApplier;
import io.siamesestreams.app.ServiceSettings;
import io.siamesestreams.app.SiameseService;
import io.siamesestreams.broker.BrokerSettings;
import io.siamesestreams.broker.EmbeddedKafkaBroker;
import io.siamesestreams.config.KafkaClients;
import io.siamesestreams.config.KafkaSettings;
import io.siamesestreams.identity.IdentityEnrollment;
import io.siamesestreams.identity.IdentityTemplates;
import io.siamesestreams.metrics.MetricsServer;
import io.siamesestreams.metrics.ServiceMetrics;
import io.siamesestreams.records.DeadLetters;
import io.siamesestreams.topology.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
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
 * One demo run's machinery, shared by both demos ({@link DemoRunner}, {@link FaceDemo}): an
 * embedded broker (unless the Kafka settings name one; then private {@code demo-<runId>-} topics so
 * that earlier runs do not count), the applied topics, the service on a temporary state directory,
 * its metrics and metrics server, and the cameras' producer; enrolment, waiting for the templates,
 * and streaming the cameras with a progress line each second, then draining until every frame
 * has an outcome. {@link #close} stops everything in reverse order and deletes the state.
 *
 * <p>Kafka client ids, the application id and the state directory are named after the demo's
 * {@code name}: {@code siamese-<name>-cameras}, {@code siamese-<name>-<runId>}, …
 */
final class DemoSession implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DemoSession.class);
  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  /**
   * What differs between the demos' machinery.
   *
   * @param name {@code demo} or {@code face-demo}: names client ids, the application id, threads
   * @param model the model the service loads
   * @param modelLabel how the "starting the service with …" line names the model
   * @param kafka Kafka settings; without bootstrap servers an embedded broker is started
   * @param metricsPort serve the service's metrics on this port; 0 = no metrics server
   * @param tuning changes to the service's settings beyond the demo's (e.g. threads)
   * @param schedule how the cameras stream
   */
  record Setup(String name, Path model, String modelLabel, KafkaSettings kafka, int metricsPort,
      UnaryOperator<ServiceSettings> tuning, CameraSchedule schedule) {}

  private final Setup setup;
  private final PrintStream progress;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private EmbeddedKafkaBroker broker;
  private Path stateDirectory;
  private KafkaSettings kafka;
  private Topics topics;
  private ServiceMetrics metrics;
  private SiameseService service;
  private MetricsServer metricsServer;
  private KafkaProducer<String, byte[]> producer;

  private DemoSession(Setup setup, PrintStream progress) {
    this.setup = setup;
    this.progress = progress;
  }

  /**
   * Starts the broker (if needed), applies the topics and starts the service, its metrics server
   * and the cameras' producer, reporting each step on {@code progress}; does not wait for the
   * service to run ({@link #awaitRunning}). On failure whatever was started is stopped again.
   */
  static DemoSession start(Setup setup, PrintStream progress) {
    DemoSession session = new DemoSession(setup, progress);
    try {
      session.open();
      return session;
    } catch (RuntimeException | Error e) {
      try {
        session.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private void open() {
    kafka = setup.kafka();
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
    applyTopics();

    try {
      stateDirectory = Files.createTempDirectory(clientId("state-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> serviceConfig = new LinkedHashMap<>();
    kafka.all().forEach((key, value) -> {
      if (!key.startsWith(ServiceConfig.SERVICE_PREFIX)) {
        serviceConfig.put(key, value);
      }
    });
    serviceConfig.putAll(topics.settings());
    serviceConfig.put(ServiceConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    serviceConfig.put(ServiceConfig.MODEL_DIR, setup.model());
    serviceConfig.put(ServiceConfig.APPLICATION_ID, clientId(runId));
    serviceConfig.put(ServiceConfig.STATE_DIR, stateDirectory);
    ServiceSettings serviceSettings = setup.tuning().apply(ServiceSettings.of(serviceConfig));
    progress.println("demo: starting the service with " + setup.modelLabel());
    int port = setup.metricsPort();
    metrics = port == 0 ? ServiceMetrics.disabled() : ServiceMetrics.prometheus();
    service = SiameseService.start(serviceSettings, metrics);
    metricsServer = port == 0 ? null : MetricsServer.start(port, metrics, service::state, service::deadStreamThreads);
    producer = KafkaClients.producer(kafka, clientId("cameras"));
  }

  /** {@code siamese-<name>-<suffix>}. */
  private String clientId(String suffix) {
    return "siamese-" + setup.name() + "-" + suffix;
  }

  private void applyTopics() {
    try (Admin admin = Admin.create(kafka.forAdmin())) {
      List<TopicsApplier.Result> results =
          new TopicsApplier(admin, Duration.ofSeconds(30)).apply(TopicCatalog.bundled().renamed(topics).specs());
      if (!TopicsApplier.allConsistent(results)) {
        throw new IllegalStateException("topics differ from their definitions: " + results);
      }
    }
  }

  /** Eight characters that tell this run's frames and topics from other runs'. */
  String runId() {
    return runId;
  }

  SiameseService service() {
    return service;
  }

  /** The metrics server, unless the setup's port is 0. */
  Optional<MetricsServer> metricsServer() {
    return Optional.ofNullable(metricsServer);
  }

  KafkaProducer<String, byte[]> producer() {
    return producer;
  }

  String framesTopic() {
    return topics.frames().name();
  }

  /** Waits up to {@link #STARTUP_TIMEOUT} until the service runs. */
  void awaitRunning() {
    service.awaitRunning(STARTUP_TIMEOUT);
  }

  /** Sends the enrolments to the identities topic (keyed by identity) and flushes. */
  void enroll(List<IdentityEnrollment> enrollments) {
    for (IdentityEnrollment enrollment : enrollments) {
      producer.send(new ProducerRecord<>(topics.identities().name(), enrollment.identityId(),
          Topics.ENROLLMENT_SERDE.toBytes(enrollment)));
    }
    producer.flush();
  }

  /**
   * Waits until the service has written templates for {@code expected} identities, then reports
   * that the cameras start.
   *
   * @param noun what the identities are to people ("identities", "people")
   * @throws IllegalStateException after {@link #STARTUP_TIMEOUT} without them
   */
  void awaitTemplates(int expected, String noun) {
    Set<String> enrolled = new HashSet<>();
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    try (KafkaConsumer<String, byte[]> consumer = KafkaClients.readCommittedConsumer(kafka, clientId("templates"))) {
      assignAll(consumer, List.of(topics.identityTemplates().name()));
      while (enrolled.size() < expected) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("templates for only " + enrolled.size() + " of " + expected + " " + noun
              + " after " + STARTUP_TIMEOUT);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          IdentityTemplates templates = Topics.TEMPLATES_SERDE.fromBytes(record.value());
          if (templates != null && templates.templates() != null && !templates.templates().isEmpty()) {
            enrolled.add(record.key());
          }
        }
      }
    }
    CameraSchedule schedule = setup.schedule();
    progress.println("demo: " + enrolled.size() + " " + noun + " enrolled; cameras streaming for "
        + schedule.duration().toSeconds() + " s at " + schedule.framesPerSecond() + " frames/s over "
        + schedule.cameras() + " cameras");
  }

  /**
   * Streams {@code cameras} at the schedule's rate for its duration while a reader thread records
   * match events and frame dead letters (read_committed) into {@code scoreboard}, printing a
   * progress line each second; then waits (at most the drain timeout) until every frame has an
   * outcome, and prints the last progress line.
   */
  void stream(SimulatedCameras<?> cameras, DemoScoreboard<?> scoreboard) throws InterruptedException {
    CameraSchedule schedule = setup.schedule();
    AtomicBoolean reading = new AtomicBoolean(true);
    Thread reader = new Thread(() -> readOutcomes(scoreboard, reading), setup.name() + "-reader");
    reader.setDaemon(true);
    reader.start();

    long start = System.nanoTime();
    try {
      long end = start + schedule.duration().toNanos();
      long intervalNanos = (long) (1e9 / schedule.framesPerSecond());
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

      long drainDeadline = System.nanoTime() + schedule.drainTimeout().toNanos();
      while (scoreboard.outcomes() < scoreboard.frames() && System.nanoTime() < drainDeadline) {
        Thread.sleep(250);
        if (System.nanoTime() >= nextReport) {
          progress.println(scoreboard.progress((System.nanoTime() - start) / 1e9, 0) + " (draining)");
          nextReport += TimeUnit.SECONDS.toNanos(1);
        }
      }
      // A short grace period so that the last faces of a frame, or a duplicate (which would break
      // the accounting), show up.
      Thread.sleep(500);
    } finally {
      reading.set(false);
      reader.join(10_000);
    }
    progress.println(scoreboard.progress((System.nanoTime() - start) / 1e9, 0) + " (done)");
  }

  /** Reads match events and frame dead letters (read_committed) into the scoreboard until told to stop. */
  private void readOutcomes(DemoScoreboard<?> scoreboard, AtomicBoolean reading) {
    String events = topics.matchEvents().name();
    String deadLetters = topics.framesDlq().name();
    try (KafkaConsumer<String, byte[]> consumer = KafkaClients.readCommittedConsumer(kafka, clientId("reader"))) {
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
      log.error("the {}'s event reader failed", setup.name(), e);
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

  /**
   * Stops the producer, the metrics server, the service and its metrics (in that order), then the
   * embedded broker, and deletes the state directory; skips what was never started.
   */
  @Override
  public void close() {
    try (EmbeddedKafkaBroker startedBroker = broker;
        ServiceMetrics startedMetrics = metrics;
        SiameseService startedService = service;
        MetricsServer startedServer = metricsServer;
        KafkaProducer<String, byte[]> startedProducer = producer) {
      // try-with-resources closes them in reverse order, skipping nulls, and keeps every failure
    } finally {
      if (stateDirectory != null) {
        deleteQuietly(stateDirectory);
      }
    }
  }

  private static void deleteQuietly(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      log.warn("could not delete {}", directory, e);
    }
  }
}
