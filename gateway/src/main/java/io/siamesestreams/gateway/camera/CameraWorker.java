package io.siamesestreams.gateway.camera;

import io.siamesestreams.faces.FacePipeline;
import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.faces.detect.TinyFaceDetector;
import io.siamesestreams.faces.image.Jpeg;
import io.siamesestreams.gateway.gate.BestShotTracker;
import io.siamesestreams.gateway.gate.DropReason;
import io.siamesestreams.gateway.gate.FrameSampler;
import io.siamesestreams.gateway.gate.Sharpness;
import io.siamesestreams.gateway.metrics.GatewayMetrics;
import io.siamesestreams.gateway.send.FrameSender;
import io.siamesestreams.gateway.send.OutgoingFrame;
import io.siamesestreams.gateway.source.CapturedFrame;
import io.siamesestreams.gateway.source.FrameSource;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera: reads its {@link FrameSource}, applies the sampling and quality gate of its
 * {@link CameraSettings}, and hands what passes to the {@link FrameSender}.
 *
 * <p>Gate order per decoded picture: {@code fps} budget → (without face detection) sharpness of the
 * frame → sent; (with face detection) detector → per face: {@code min-score}, {@code min-face},
 * sharpness of the face box → best-shot rule → the crop is sent. Every picture or face not sent is
 * counted under one {@link DropReason}.
 *
 * <p>Live sources that fail to open or drop are retried with exponential backoff (initial, doubled
 * per failed attempt, capped), reset once frames flow again; each change between streaming and
 * retrying is logged once. A file or folder that cannot be opened or decoded ends the worker with
 * {@link Outcome#FAILED} and a message naming it.
 */
public final class CameraWorker implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(CameraWorker.class);

  /** How a worker ended. */
  public enum Outcome {
    RUNNING,
    COMPLETED,
    FAILED,
    STOPPED
  }

  /** Backoff of a live source: first wait and cap, milliseconds. */
  public record Backoff(long initialMillis, long maxMillis) {}

  private final CameraSettings camera;
  private final FrameSource source;
  private final TinyFaceDetector detector;
  private final FacePipeline aligner;
  private final FrameSender sender;
  private final GatewayMetrics metrics;
  private final Backoff backoff;
  private final FrameSampler sampler;
  private final BestShotTracker<OutgoingFrame> bestShots;
  private final AtomicInteger up = new AtomicInteger();
  private volatile boolean stopped;
  private volatile Outcome outcome = Outcome.RUNNING;
  private volatile String failure;

  /**
   * @param detector the face detector (shared, thread-safe); required when the camera detects faces
   * @param aligner face-api's landmarks and alignment (shared, thread-safe); required when the camera aligns faces
   */
  public CameraWorker(CameraSettings camera, FrameSource source, TinyFaceDetector detector, FacePipeline aligner,
      FrameSender sender, GatewayMetrics metrics, Backoff backoff) {
    if (camera.detectFaces() && detector == null) {
      throw new IllegalArgumentException("camera " + camera.id() + " detects faces but no face detector is open");
    }
    if (camera.alignFaces() && aligner == null) {
      throw new IllegalArgumentException("camera " + camera.id() + " aligns faces but no face landmark net is open");
    }
    this.camera = camera;
    this.source = source;
    this.detector = detector;
    this.aligner = aligner;
    this.sender = sender;
    this.metrics = metrics;
    this.backoff = backoff;
    this.sampler = new FrameSampler(camera.fps());
    this.bestShots = new BestShotTracker<>(Math.round(camera.bestShotSeconds() * 1e6), sender::submit,
        dropped -> metrics.dropped(camera.id(), DropReason.NOT_BEST_SHOT));
    metrics.registerCamera(camera.id(), up::get);
  }

  public String cameraId() {
    return camera.id();
  }

  public Outcome outcome() {
    return outcome;
  }

  /** Why the worker failed (null unless {@link Outcome#FAILED}). */
  public String failure() {
    return failure;
  }

  /**
   * Asks the worker to stop after the picture in hand. A read in progress is not cut short (FFmpeg's
   * grabber is not closed from another thread): it returns within the source's I/O timeout.
   */
  public void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    long waitMillis = backoff.initialMillis();
    boolean everStreamed = false;
    boolean retrying = false;
    long offlineSinceNanos = 0;
    int failedAttempts = 0;
    try {
      while (!stopped) {
        boolean streamed = false;
        try {
          source.open();
          long origin = System.nanoTime();
          CapturedFrame frame;
          sampler.reset();
          while (!stopped && (frame = source.next()) != null) {
            if (!streamed) {
              streamed = true;
              up.set(1);
              if (retrying) {
                metrics.reconnected(camera.id());
                LOG.info("camera {}: streaming again from {} after {} failed attempt(s), {} ms offline", camera.id(),
                    source.description(), failedAttempts, (System.nanoTime() - offlineSinceNanos) / 1_000_000);
              } else if (!everStreamed) {
                LOG.info("camera {}: streaming from {}", camera.id(), source.description());
              }
              everStreamed = true;
              retrying = false;
              failedAttempts = 0;
              waitMillis = backoff.initialMillis();
            }
            process(frame, origin);
          }
          bestShots.flush();
          if (stopped) {
            break;
          }
          if (source.live() || camera.loop()) {
            continue;
          }
          outcome = Outcome.COMPLETED;
          LOG.info("camera {}: end of {}", camera.id(), source.description());
          return;
        } catch (IOException | RuntimeException e) {
          up.set(0);
          bestShots.flush();
          if (stopped) {
            break;
          }
          if (!source.live()) {
            fail(e.getMessage());
            return;
          }
          if (!retrying) {
            retrying = true;
            offlineSinceNanos = System.nanoTime();
            LOG.warn("camera {}: {}; retrying with backoff from {} ms up to {} ms", camera.id(), e.getMessage(),
                backoff.initialMillis(), backoff.maxMillis());
          }
          failedAttempts++;
        } finally {
          up.set(0);
          source.close();
        }
        sleepMillis(waitMillis);
        waitMillis = Math.min(backoff.maxMillis(), waitMillis * 2);
      }
      outcome = Outcome.STOPPED;
    } catch (InterruptedException e) {
      outcome = Outcome.STOPPED;
    } finally {
      source.close();
    }
  }

  private void fail(String message) {
    failure = message;
    outcome = Outcome.FAILED;
    LOG.error("camera {}: {}", camera.id(), message);
  }

  private void process(CapturedFrame frame, long originNanos) throws InterruptedException {
    metrics.decoded(camera.id(), frame.decodeNanos());
    long timeMicros;
    if (source.live()) {
      timeMicros = (System.nanoTime() - originNanos) / 1000;
    } else {
      timeMicros = frame.mediaTimeMicros();
      if (camera.realtime()) {
        long aheadNanos = originNanos + timeMicros * 1000 - System.nanoTime();
        if (aheadNanos > 0) {
          TimeUnit.NANOSECONDS.sleep(aheadNanos);
        }
      }
    }
    if (!sampler.accept(timeMicros)) {
      metrics.dropped(camera.id(), DropReason.FPS);
      return;
    }
    BufferedImage image = frame.image();
    if (!camera.detectFaces()) {
      if (camera.minSharpness() > 0 && Sharpness.of(image) < camera.minSharpness()) {
        metrics.dropped(camera.id(), DropReason.BLURRED);
        return;
      }
      sender.submit(new OutgoingFrame(camera.id(), newFrameId(), frame.captureEpochMillis(), Jpeg.encode(image),
          camera.claim(), null, false));
      return;
    }
    List<FaceBox> faces = detector.detect(image);
    if (faces.isEmpty()) {
      metrics.dropped(camera.id(), DropReason.NO_FACE);
      return;
    }
    List<BestShotTracker.Shot<OutgoingFrame>> shots = new ArrayList<>();
    for (FaceBox face : faces) {
      int[] box = face.clippedPixels(image.getWidth(), image.getHeight());
      if (face.score() < camera.minScore()) {
        metrics.dropped(camera.id(), DropReason.LOW_SCORE);
        continue;
      }
      if (Math.min(box[2], box[3]) < Math.max(1, camera.minFace())) {
        metrics.dropped(camera.id(), DropReason.FACE_TOO_SMALL);
        continue;
      }
      double sharpness = Sharpness.of(image, box[0], box[1], box[2], box[3]);
      if (camera.minSharpness() > 0 && sharpness < camera.minSharpness()) {
        metrics.dropped(camera.id(), DropReason.BLURRED);
        continue;
      }
      shots.add(new BestShotTracker.Shot<>(face, sharpness, camera.alignFaces()
          ? alignedChip(image, face, frame.captureEpochMillis())
          : faceCrop(image, box, frame.captureEpochMillis())));
    }
    bestShots.offer(timeMicros, shots);
  }

  /** The face box {@code [x, y, w, h]} plus the margin, clipped to the image, with the box in crop pixels. */
  private OutgoingFrame faceCrop(BufferedImage image, int[] box, long captureEpochMillis) {
    int margin = (int) Math.round(camera.faceMargin() * Math.max(box[2], box[3]));
    int x0 = Math.max(0, box[0] - margin);
    int y0 = Math.max(0, box[1] - margin);
    int x1 = Math.min(image.getWidth(), box[0] + box[2] + margin);
    int y1 = Math.min(image.getHeight(), box[1] + box[3] + margin);
    BufferedImage crop = image.getSubimage(x0, y0, x1 - x0, y1 - y0);
    FaceBox inCrop = FaceBox.ofPixels(box[0] - x0, box[1] - y0, box[2], box[3]);
    return new OutgoingFrame(camera.id(), newFrameId(), captureEpochMillis, Jpeg.encode(crop), camera.claim(), inCrop,
        false);
  }

  /** The face's aligned chip (landmarks in its box, then alignment from the whole picture), as the service makes it. */
  private OutgoingFrame alignedChip(BufferedImage image, FaceBox face, long captureEpochMillis) {
    BufferedImage chip = aligner.fromBox(image, face).chip();
    return new OutgoingFrame(camera.id(), newFrameId(), captureEpochMillis, Jpeg.encode(chip), camera.claim(), null,
        true);
  }

  private String newFrameId() {
    return camera.id() + "-" + UUID.randomUUID();
  }

  private static void sleepMillis(long millis) throws InterruptedException {
    Thread.sleep(millis);
  }
}
