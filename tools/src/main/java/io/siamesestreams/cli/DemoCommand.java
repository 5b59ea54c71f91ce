package io.siamesestreams.cli;

import io.siamesestreams.config.KafkaOptions;
import io.siamesestreams.demo.CheckoutFiles;
import io.siamesestreams.demo.DemoOptions;
import io.siamesestreams.demo.DemoRunner;
import io.siamesestreams.demo.DemoSummary;
import io.siamesestreams.demo.FaceDemo;
import io.siamesestreams.demo.FaceDemoOptions;
import io.siamesestreams.demo.FaceModels;
import io.siamesestreams.demo.FashionMnistImages;
import io.siamesestreams.frames.FaceExtraction;
import io.siamesestreams.metrics.MetricsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code siamese demo}: everything on one machine, scored against ground truth. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole system on this machine and scores it against ground truth.",
      "",
      "Starts an embedded Kafka broker, applies the topics, runs the service with the model bundle, enrols one"
          + " identity per Fashion-MNIST class from a few training images, and streams test images from simulated"
          + " cameras: genuine claims, impostor claims, unclaimed frames to identify and a few malformed frames."
          + " Progress each second on stderr; at the end one summary line on stdout:",
      "demo: frames=N events=N dead_lettered=N accuracy=X verify_far=X verify_frr=X identify_accuracy=X p50_ms=X p99_ms=X",
      "",
      "With --bootstrap (or bootstrap.servers in --config) it uses that broker and private demo-* topics instead.",
      "",
      "--model faces: the faces demo. Enrols every face of face-api's six sample photos (one identity each, by its"
          + " aligned chip) and streams changed group photos (one event per face), crops with genuine and impostor"
          + " claims, face-less images (NO_FACE) and a few malformed frames; the same summary line, with events"
          + " counted per face, after a line of face figures on stderr.",
      ""
    })
public final class DemoCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Spec CommandSpec spec;

  @Option(names = "--duration", defaultValue = "60", paramLabel = "SECONDS",
      description = "How long the cameras stream (default ${DEFAULT-VALUE}).")
  long durationSeconds;

  @Option(names = "--model", paramLabel = "DIR", defaultValue = "models/fashion-mnist",
      description = "Model bundle directory, or `faces` for the faces demo (face-api's nets converted into"
          + " models/faces on first use; also any face model folder) (default ${DEFAULT-VALUE}).")
  Path model;

  @Option(names = "--dataset", paramLabel = "DIR", description = "Fashion-MNIST gz IDX files (default: "
      + "/usr/share/datasets/fashion-mnist when installed, else the repository's 2,500-image sample "
      + "data/fashion-mnist-sample).")
  Path dataset;

  @Option(names = "--fps", defaultValue = "50", paramLabel = "N",
      description = "Frames per second, all cameras together (default ${DEFAULT-VALUE}; faces demo: 8).")
  double fps;

  @Option(names = "--cameras", defaultValue = "4", paramLabel = "N", description = "Simulated cameras (default ${DEFAULT-VALUE}).")
  int cameras;

  @Option(names = "--enroll-images", defaultValue = "5", paramLabel = "N",
      description = "Training images enrolled per identity (default ${DEFAULT-VALUE}).")
  int imagesPerIdentity;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the scenario draws (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--metrics-port", defaultValue = "" + MetricsServer.DEFAULT_PORT, paramLabel = "PORT",
      description = "Serve the service's Prometheus /metrics and /health on this port while the demo runs;"
          + " 0 = off (default ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--drain-timeout", defaultValue = "60", paramLabel = "SECONDS",
      description = "Longest wait for the last outcomes after the cameras stop (default ${DEFAULT-VALUE}).")
  long drainSeconds;

  /**
   * {@code model} as given when it exists; otherwise, for a relative path, the same path under the
   * checkout the jar was built in, so that {@code ./siamese demo} works from any directory.
   */
  static Path locateModel(Path model) {
    return CheckoutFiles.locate(model);
  }

  @Override
  public Integer call() throws Exception {
    DemoOptions options = new DemoOptions(
        Duration.ofSeconds(durationSeconds), locateModel(model),
        dataset == null ? FashionMnistImages.defaultDirectory() : dataset, kafka.settings(), fps, cameras, imagesPerIdentity, seed,
        Duration.ofSeconds(drainSeconds));
    // Ctrl-C interrupts the demo so that it stops the service and the broker and deletes its temporary data.
    Thread main = Thread.currentThread();
    CountDownLatch finished = new CountDownLatch(1);
    Thread interrupter = new Thread(() -> {
      if (finished.getCount() > 0) {
        main.interrupt();
        try {
          finished.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      }
    }, "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(interrupter);
    try {
      if (wantsFaces()) {
        return runFaces();
      }
      DemoSummary summary = new DemoRunner(options, System.err, metricsPort).run();
      System.out.println(summary.line());
      System.out.flush();
      return summary.accountedFor() ? 0 : 3;
    } catch (InterruptedException e) {
      System.err.println("demo: interrupted");
      return 130;
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(interrupter);
      } catch (IllegalStateException shuttingDown) {
        // the hook is what interrupted us
      }
    }
  }

  /** {@code --model faces}, or a face model folder ({@link FaceExtraction#isFaceModel}). */
  private boolean wantsFaces() {
    return FaceModels.NAME.equals(model.toString()) || FaceExtraction.isFaceModel(locateModel(model));
  }

  /**
   * The faces demo ({@link FaceDemo}): {@code --model faces} resolves to {@code <root>/models/faces},
   * converted from face-api's tarball on first use ({@link FaceModels}). Unless {@code --fps} is
   * given it streams {@value FaceDemoOptions#DEFAULT_FPS} frames/s. The face figures go to stderr
   * before the summary line.
   */
  private int runFaces() throws InterruptedException {
    Path root = FaceModels.checkoutRoot();
    Path tarball = FaceModels.tarball(root, System.err);
    Path folder = FaceModels.NAME.equals(model.toString())
        ? FaceModels.faceModel(root, tarball, System.err) : locateModel(model);
    boolean fpsGiven = spec != null && spec.commandLine() != null
        && spec.commandLine().getParseResult().hasMatchedOption("--fps");
    FaceDemoOptions options = new FaceDemoOptions(Duration.ofSeconds(durationSeconds), folder, tarball,
        kafka.settings(), fpsGiven ? fps : FaceDemoOptions.DEFAULT_FPS, cameras, seed,
        Duration.ofSeconds(drainSeconds), metricsPort);
    FaceDemo.Result result = new FaceDemo(options, System.err).run();
    System.err.println(result.details());
    System.out.println(result.summary().line());
    System.out.flush();
    return result.accountedFor() ? 0 : 3;
  }
}
