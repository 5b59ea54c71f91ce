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
import io.siamesestreams.faces.FacePipeline;
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
 * {@code siamese demo --model faces}: the face path end to end on one machine. Finds the faces of
 * face-api's six sample photos ({@link SamplePeople}; each face is one person), starts an embedded
 * broker (unless Kafka settings name one), applies the topics, starts the service with the face
 * model, enrols every person with a crop of their photo and its face box (through the service's
 * own enrolment path), streams changed group photos, crops with claims and face-less images from simulated
 * cameras ({@link FaceCameraSimulator}), scores every event against the ground truth
 * ({@link FaceScoreboard}) and returns the summary once every frame has an outcome (or the drain
 * timeout passed).
 *
 * <p>The threshold is the recognition bundle's (dlib's 0.6); {@link Result#details()} adds the
 * verify error rates the same events' distances give at {@value #OTHER_THRESHOLD}.
 */
public final class FaceDemo {

  private static final Logger log = LoggerFactory.getLogger(FaceDemo.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
  /** The second threshold the details line reports FAR/FRR at (face-api's figures suggest it). */
  public static final double OTHER_THRESHOLD = 0.5;

  private final FaceDemoOptions options;
  private final PrintStream progress;

  /** @param progress where the per-second progress lines go (stderr for the CLI) */
  public FaceDemo(FaceDemoOptions options, PrintStream progress) {
    this.options = options;
    this.progress = progress;
  }

  /**
   * The faces demo's result.
   *
   * @param summary the summary line's figures (events: one per face, or one NO_FACE per frame)
   * @param details the face figures beyond it ({@link FaceScoreboard#details})
   * @param framesWithEvents frames with at least one event
   * @param unexpectedEvents events for frames sent malformed, or unknown
   */
  public record Result(DemoSummary summary, String details, long framesWithEvents, long unexpectedEvents) {

    /** Every frame has an outcome: frames with events + dead letters = frames; no unexpected event. */
    public boolean accountedFor() {
      return framesWithEvents + summary.deadLettered() == summary.frames() && unexpectedEvents == 0;
    }
  }

  public Result run() throws InterruptedException {
    String runId = UUID.randomUUID().toString().substring(0, 8);
    progress.println("demo: finding the faces of face-api's sample photos in " + options.tarball());
    SamplePeople samples;
    try (FacePipeline pipeline = FacePipeline.open(options.faceModel(), 0)) {
      samples = SamplePeople.read(options.tarball(), pipeline);
    }
    progress.println("demo: " + samples.people().size() + " people in " + samples.photos().size()
        + " photos, one identity each");

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
        topics = Topics.prefixed("demo-" + runId + "-");
      }
      progress.println("demo: Kafka at " + kafka.bootstrapServers() + ", applying topics");
      applyTopics(kafka, topics);

      stateDirectory = Files.createTempDirectory("siamese-face-demo-state-");
      Properties passthrough = new Properties();
      kafka.all().forEach((key, value) -> {
        if (!key.startsWith(RunCommand.SERVICE_KEY_PREFIX)) {
          passthrough.put(key, value);
        }
      });
      ServiceSettings serviceSettings = ServiceSettings.defaults(kafka.bootstrapServers(), options.faceModel())
          .withKafkaProperties(passthrough)
          .withTopics(topics)
          .withApplicationId("siamese-face-demo-" + runId)
          .withStateDir(stateDirectory)
          // One ONNX Runtime thread per session: steadier than two when the broker, the cameras and
          // the service share two cores (the face path runs three nets per frame).
          .withThreads(1, 1);
      progress.println("demo: starting the service with the face model " + options.faceModel());
      int port = options.metricsPort();
      try (ServiceMetrics metrics = port == 0 ? ServiceMetrics.disabled() : ServiceMetrics.prometheus();
          SiameseService service = SiameseService.start(serviceSettings, metrics);
          MetricsServer metricsServer = port == 0 ? null : MetricsServer.start(port, metrics, service::state);
          KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "siamese-face-demo-cameras")) {
        service.awaitRunning(STARTUP_TIMEOUT);
        progress.println("demo: service running (model " + service.manifest().modelId() + " "
            + service.manifest().modelVersion() + ", threshold " + service.manifest().decision().threshold()
            + "); enrolling " + samples.people().size() + " people by their face boxes");
        enroll(producer, topics, samples);
        awaitTemplates(kafka, topics, samples.people().size());
        return stream(kafka, topics, producer, samples, runId);
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

  /**
   * One enrolment per person: a crop around their face in their photo (as the cameras' crops, no
   * change) with the face box, so the service's chip is exactly the detection's chip.
   */
  private static void enroll(KafkaProducer<String, byte[]> producer, Topics topics, SamplePeople samples) {
    for (SamplePeople.Person person : samples.people()) {
      FaceCameraSimulator.Crop crop =
          FaceCameraSimulator.cropAround(samples.photos().get(person.photo()), person.box());
      IdentityEnrollment enrollment = new IdentityEnrollment(person.id(), person.id(),
          List.of(FaceCameraSimulator.jpegBase64(crop.image())), List.of(FaceCameraSimulator.faceBox(crop.face())));
      producer.send(new ProducerRecord<>(topics.identities().name(), person.id(),
          Topics.ENROLLMENT_SERDE.toBytes(enrollment)));
    }
    producer.flush();
  }

  /** Waits until the service has written templates for every person. */
  private void awaitTemplates(KafkaSettings kafka, Topics topics, int expected) {
    Set<String> enrolled = new HashSet<>();
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    try (KafkaConsumer<String, byte[]> consumer =
        KafkaClients.readCommittedConsumer(kafka, "siamese-face-demo-templates")) {
      assignAll(consumer, List.of(topics.identityTemplates().name()));
      while (enrolled.size() < expected) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("templates for only " + enrolled.size() + " of " + expected
              + " people after " + STARTUP_TIMEOUT);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          IdentityTemplates templates = Topics.TEMPLATES_SERDE.fromBytes(record.value());
          if (templates != null && templates.templates() != null && !templates.templates().isEmpty()) {
            enrolled.add(record.key());
          }
        }
      }
    }
    progress.println("demo: " + enrolled.size() + " people enrolled; cameras streaming for "
        + options.duration().toSeconds() + " s at " + options.framesPerSecond() + " frames/s over "
        + options.cameras() + " cameras");
  }

  private Result stream(KafkaSettings kafka, Topics topics, KafkaProducer<String, byte[]> producer,
      SamplePeople samples, String runId) throws InterruptedException {
    FaceScoreboard scoreboard = new FaceScoreboard();
    AtomicBoolean reading = new AtomicBoolean(true);
    Thread reader = new Thread(() -> readOutcomes(kafka, topics, scoreboard, reading), "face-demo-reader");
    reader.setDaemon(true);
    reader.start();

    long start = System.nanoTime();
    try {
      FaceCameraSimulator cameras = new FaceCameraSimulator(producer, topics.frames().name(), samples,
          options.cameras(), scoreboard, options.seed(), runId);
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
      // A short grace period so that the last faces of a frame, or a duplicate, show up.
      Thread.sleep(500);
    } finally {
      reading.set(false);
      reader.join(10_000);
    }
    progress.println(scoreboard.progress((System.nanoTime() - start) / 1e9, 0) + " (done)");
    Result result = new Result(scoreboard.summary(), scoreboard.details(OTHER_THRESHOLD),
        scoreboard.framesWithEvents(), scoreboard.unexpectedEvents());
    if (!result.accountedFor()) {
      progress.println("demo: WARNING " + (result.summary().frames() - result.framesWithEvents()
          - result.summary().deadLettered()) + " frame(s) without an outcome after "
          + options.drainTimeout().toSeconds() + " s, " + result.unexpectedEvents() + " unexpected event(s)");
    }
    return result;
  }

  /** Reads match events and frame dead letters (read_committed) into the scoreboard until told to stop. */
  private static void readOutcomes(KafkaSettings kafka, Topics topics, FaceScoreboard scoreboard,
      AtomicBoolean reading) {
    String events = topics.matchEvents().name();
    try (KafkaConsumer<String, byte[]> consumer =
        KafkaClients.readCommittedConsumer(kafka, "siamese-face-demo-reader")) {
      assignAll(consumer, List.of(events, topics.framesDlq().name()));
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
            scoreboard.deadLetter();
          }
        }
      }
    } catch (RuntimeException e) {
      log.error("the faces demo's event reader failed", e);
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
