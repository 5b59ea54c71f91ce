package io.siamesestreams.demo;

import io.siamesestreams.config.ServiceConfig;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.faces.FacePipeline;
import io.siamesestreams.identity.IdentityEnrollment;
import java.io.PrintStream;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code siamese demo --model faces}: the face path end to end on one machine. Finds the faces of
 * face-api's six sample photos ({@link SamplePeople}; each face is one person), starts an embedded
 * broker (unless Kafka settings name one), applies the topics, starts the service with the face
 * model, enrols every person with a crop of their photo and its face box (through the service's
 * own enrolment path), streams changed group photos, crops with claims and face-less images from simulated
 * cameras ({@link FaceCameraSimulator}), scores every event against the ground truth
 * ({@link FaceScoreboard}) and returns the summary once every frame has an outcome (or the drain
 * timeout passed). The machinery is {@link DemoSession}'s; this class adds what is the faces'.
 *
 * <p>The threshold is the recognition bundle's (dlib's 0.6); {@link Result#details()} adds the
 * verify error rates the same events' distances give at {@value #OTHER_THRESHOLD}.
 */
public final class FaceDemo {

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
    progress.println("demo: finding the faces of face-api's sample photos in " + options.tarball());
    SamplePeople samples;
    try (FacePipeline pipeline = FacePipeline.open(options.faceModel(), 0)) {
      samples = SamplePeople.read(options.tarball(), pipeline);
    }
    progress.println("demo: " + samples.people().size() + " people in " + samples.photos().size()
        + " photos, one identity each");

    DemoSession.Setup setup = new DemoSession.Setup("face-demo", options.faceModel(),
        "the face model " + options.faceModel(), options.kafka(), options.metricsPort(),
        // One ONNX Runtime thread per session: steadier than two when the broker, the cameras and
        // the service share two cores (the face path runs three nets per frame).
        settings -> settings.with(Map.of(ServiceConfig.STREAM_THREADS, 1, ServiceConfig.ONNX_THREADS, 1)),
        options.schedule());
    try (DemoSession session = DemoSession.start(setup, progress)) {
      session.awaitRunning();
      ModelManifest manifest = session.service().manifest();
      progress.println("demo: service running (model " + manifest.modelId() + " " + manifest.modelVersion()
          + ", threshold " + manifest.decision().threshold() + "); enrolling " + samples.people().size()
          + " people by their face boxes");
      session.enroll(enrollments(samples));
      session.awaitTemplates(samples.people().size(), "people");
      return stream(session, samples);
    }
  }

  /**
   * One enrolment per person: a crop around their face in their photo (as the cameras' crops, no
   * change) with the face box, so the service's chip is exactly the detection's chip.
   */
  private static List<IdentityEnrollment> enrollments(SamplePeople samples) {
    List<IdentityEnrollment> enrollments = new ArrayList<>();
    for (SamplePeople.Person person : samples.people()) {
      FaceCameraSimulator.Crop crop =
          FaceCameraSimulator.cropAround(samples.photos().get(person.photo()), person.box());
      enrollments.add(new IdentityEnrollment(person.id(), person.id(),
          List.of(FaceCameraSimulator.jpegBase64(crop.image())), List.of(FaceCameraSimulator.faceBox(crop.face()))));
    }
    return enrollments;
  }

  private Result stream(DemoSession session, SamplePeople samples) throws InterruptedException {
    FaceScoreboard scoreboard = new FaceScoreboard();
    FaceCameraSimulator cameras = new FaceCameraSimulator(session.producer(), session.framesTopic(), samples,
        options.cameras(), scoreboard, options.seed(), session.runId());
    session.stream(cameras, scoreboard);
    Result result = new Result(scoreboard.summary(), scoreboard.details(OTHER_THRESHOLD),
        scoreboard.framesWithEvents(), scoreboard.unexpectedEvents());
    if (!result.accountedFor()) {
      progress.println("demo: WARNING " + (result.summary().frames() - result.framesWithEvents()
          - result.summary().deadLettered()) + " frame(s) without an outcome after "
          + options.drainTimeout().toSeconds() + " s, " + result.unexpectedEvents() + " unexpected event(s)");
    }
    return result;
  }
}
