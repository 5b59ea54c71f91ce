package io.siamesestreams.demo;

import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.identity.IdentityEnrollment;
import io.siamesestreams.metrics.MetricsServer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code siamese demo}: the whole product on one machine. Starts an embedded broker (unless Kafka
 * settings name one), applies the topics, starts the service with the model bundle, enrols one
 * identity per Fashion-MNIST class from a few training images, streams test images from simulated
 * cameras (genuine claims, impostor claims, unclaimed frames, a few malformed ones), scores every
 * match event against the simulator's ground truth, prints progress each second, and returns the
 * {@link DemoSummary} once every frame became an event or a dead letter (or the drain timeout
 * passed). The machinery is {@link DemoSession}'s; this class adds what is Fashion-MNIST's.
 */
public final class DemoRunner {

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
    progress.println("demo: loading Fashion-MNIST from " + options.datasetDirectory()
        + (options.datasetDirectory().endsWith(FashionMnistImages.SAMPLE_DIRECTORY) ? " (the repository's sample;"
            + " `apt-get install dataset-fashion-mnist` for the whole dataset)" : ""));
    FashionMnistImages train = FashionMnistImages.read(options.datasetDirectory(), "train", 2_000);
    FashionMnistImages test = FashionMnistImages.read(options.datasetDirectory(), "t10k", 10_000);

    DemoSession.Setup setup = new DemoSession.Setup("demo", options.modelDirectory(),
        options.modelDirectory().toString(), options.kafka(), metricsPort, UnaryOperator.identity(),
        options.schedule());
    try (DemoSession session = DemoSession.start(setup, progress)) {
      session.metricsServer().ifPresent(server -> progress.println("demo: metrics at http://localhost:"
          + server.port() + MetricsServer.METRICS_PATH + ", readiness at " + MetricsServer.HEALTH_PATH));
      session.awaitRunning();
      ModelManifest manifest = session.service().manifest();
      progress.println("demo: service running (model " + manifest.modelId() + " " + manifest.modelVersion()
          + "); enrolling " + FashionMnistImages.CLASSES + " identities");
      if (manifest.evaluation() != null && !manifest.evaluation().isEmpty()) {
        progress.println("demo: the bundle's own evaluation, for comparison: " + manifest.evaluation());
      }
      session.enroll(enrollments(train));
      session.awaitTemplates(FashionMnistImages.CLASSES, "identities");
      return stream(session, test);
    }
  }

  /** One enrolment per class: its first {@code imagesPerIdentity} training images, as PNG. */
  private List<IdentityEnrollment> enrollments(FashionMnistImages train) {
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
    List<IdentityEnrollment> enrollments = new ArrayList<>();
    for (int c = 0; c < FashionMnistImages.CLASSES; c++) {
      enrollments.add(new IdentityEnrollment(
          FashionMnistImages.IDENTITY_IDS.get(c), FashionMnistImages.CLASS_NAMES.get(c), imagesByClass.get(c)));
    }
    return enrollments;
  }

  private DemoSummary stream(DemoSession session, FashionMnistImages test) throws InterruptedException {
    Scoreboard scoreboard = new Scoreboard();
    CameraSimulator cameras = new CameraSimulator(session.producer(), session.framesTopic(), test,
        options.cameras(), scoreboard, options.seed(), session.runId());
    session.stream(cameras, scoreboard);
    DemoSummary summary = scoreboard.summary();
    if (!summary.accountedFor()) {
      progress.println("demo: WARNING " + (summary.frames() - summary.events() - summary.deadLettered())
          + " frame(s) without an outcome after " + options.drainTimeout().toSeconds() + " s");
    }
    if (scoreboard.unexpectedEvents() > 0) {
      progress.println("demo: WARNING " + scoreboard.unexpectedEvents() + " event(s) for frames that were malformed or unknown");
    }
    return summary;
  }
}
