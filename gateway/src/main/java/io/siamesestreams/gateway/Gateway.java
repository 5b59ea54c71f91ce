package io.siamesestreams.gateway;

import io.siamesestreams.faces.convert.FaceApiConverter;
import io.siamesestreams.faces.detect.DetectorManifest;
import io.siamesestreams.faces.FacePipeline;
import io.siamesestreams.faces.detect.TinyFaceDetector;
import io.siamesestreams.gateway.camera.CameraSettings;
import io.siamesestreams.gateway.camera.CameraWorker;
import io.siamesestreams.gateway.metrics.GatewayMetrics;
import io.siamesestreams.gateway.send.FrameSender;
import io.siamesestreams.gateway.source.FrameSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: one worker thread per camera, one shared {@link FrameSender} (and producer), one
 * shared face detector when a camera detects faces (with the landmark net and aligner when a camera aligns
 * faces). Owns all of them; {@link #close()} stops the
 * cameras, sends what is queued and closes the producer.
 */
public final class Gateway implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  /**
   * Settings shared by the cameras of one process.
   *
   * @param faceModel folder of the face models ({@code face-detector/} inside, as {@code siamese
   *     convert} writes it) or of the detector bundle itself; used only when a camera detects faces (a camera
   *     that aligns faces needs the converted folder, with {@code face-landmarks/})
   * @param queueCapacity frames the send queue holds before the oldest is dropped
   * @param backoff retry waits of live sources
   * @param ioTimeoutMicros how long a network stream may stay silent before it counts as dropped
   * @param drain how long {@link #close()} may spend sending what is queued and flushing the producer
   */
  public record Settings(Path faceModel, int queueCapacity, CameraWorker.Backoff backoff, long ioTimeoutMicros,
      Duration drain) {}

  private final List<CameraWorker> workers;
  private final List<Thread> threads;
  private final FrameSender sender;
  private final TinyFaceDetector detector;
  private final FacePipeline aligner;
  private final Settings settings;

  private Gateway(List<CameraWorker> workers, List<Thread> threads, FrameSender sender, TinyFaceDetector detector,
      FacePipeline aligner, Settings settings) {
    this.workers = workers;
    this.threads = threads;
    this.sender = sender;
    this.detector = detector;
    this.aligner = aligner;
    this.settings = settings;
  }

  /**
   * Opens the detector if needed, checks every source, and starts the cameras; the gateway owns
   * {@code producer} from here on (closed even when start-up fails).
   */
  public static Gateway start(List<CameraSettings> cameras, Settings settings, Producer<String, byte[]> producer,
      String topic, GatewayMetrics metrics) {
    TinyFaceDetector detector = null;
    FacePipeline aligner = null;
    FrameSender sender = null;
    try {
      if (cameras.stream().anyMatch(CameraSettings::alignFaces)) {
        aligner = openAligner(settings.faceModel());
        detector = aligner.detector();
      } else if (cameras.stream().anyMatch(CameraSettings::detectFaces)) {
        detector = openDetector(settings.faceModel());
      }
      sender = new FrameSender(producer, topic, settings.queueCapacity(), metrics);
      List<CameraWorker> workers = new ArrayList<>();
      for (CameraSettings camera : cameras) {
        workers.add(new CameraWorker(camera.validated(),
            FrameSources.open(camera.source(), camera.fps(), settings.ioTimeoutMicros()), detector, aligner, sender,
            metrics, settings.backoff()));
      }
      List<Thread> threads = new ArrayList<>();
      for (CameraWorker worker : workers) {
        Thread thread = new Thread(worker, "camera-" + worker.cameraId());
        threads.add(thread);
        thread.start();
      }
      return new Gateway(workers, threads, sender, detector, aligner, settings);
    } catch (RuntimeException e) {
      if (sender != null) {
        sender.close(Duration.ZERO);
      } else {
        producer.close(Duration.ZERO);
      }
      closeFaceNets(detector, aligner);
      throw e;
    }
  }

  /** The face nets: the aligner's (its detector among them) when there is one, else the detector. */
  private static void closeFaceNets(TinyFaceDetector detector, FacePipeline aligner) {
    if (aligner != null) {
      aligner.close();
    } else if (detector != null) {
      detector.close();
    }
  }

  /** Detector, landmarks and aligner from {@code dir} as {@code siamese convert faceapi} writes it. */
  static FacePipeline openAligner(Path dir) {
    if (!FacePipeline.available(dir)) {
      throw new IllegalArgumentException("align-faces needs face-detector/ and face-landmarks/ in " + dir
          + " (run ./siamese convert faceapi, or pass --face-model)");
    }
    return FacePipeline.open(dir, 1);
  }

  /** The detector bundle in {@code dir/face-detector}, or in {@code dir} itself. */
  static TinyFaceDetector openDetector(Path dir) {
    Path nested = dir.resolve(FaceApiConverter.DETECTOR_DIR);
    Path bundle = Files.isDirectory(nested) ? nested : dir;
    if (!Files.isRegularFile(bundle.resolve(DetectorManifest.FILE_NAME))) {
      throw new IllegalArgumentException("no face detector in " + dir + " (expected face-detector/detector.json:"
          + " run ./siamese convert, or pass --face-model)");
    }
    return TinyFaceDetector.open(bundle, 1);
  }

  public List<CameraWorker> workers() {
    return workers;
  }

  /**
   * Waits until every camera has ended (files and folders end; live streams end only when stopped).
   *
   * @return whether they all ended within {@code timeout}
   */
  public boolean awaitCameras(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread thread : threads) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      thread.join(Math.max(1, left / 1_000_000));
      if (thread.isAlive()) {
        return false;
      }
    }
    return true;
  }

  /** Whether a camera ended in failure (e.g. a corrupt file). */
  public boolean anyFailed() {
    return workers.stream().anyMatch(worker -> worker.outcome() == CameraWorker.Outcome.FAILED);
  }

  /**
   * Stops the cameras (each within its source's I/O timeout), sends what is queued and flushes the
   * producer within {@link Settings#drain()}, and closes the detector.
   */
  @Override
  public void close() {
    workers.forEach(CameraWorker::stop);
    long joinMillis = settings.ioTimeoutMicros() / 1000 + 1000;
    for (Thread thread : threads) {
      thread.interrupt();
      try {
        thread.join(joinMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        LOG.warn("{} did not stop within {} ms", thread.getName(), joinMillis);
      }
    }
    sender.close(settings.drain());
    // A camera thread still inside a read may yet call the face nets: leave their native sessions to the JVM's exit.
    if (threads.stream().noneMatch(Thread::isAlive)) {
      closeFaceNets(detector, aligner);
    }
  }
}
