package io.siamesestreams.demo;

import io.siamesestreams.config.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run the faces demo.
 *
 * @param duration how long the cameras stream
 * @param faceModel the face model folder the service loads ({@code face-recognition/},
 *     {@code face-detector/}, {@code face-landmarks/}; see {@link FaceModels})
 * @param tarball face-api's npm tarball, for the sample photos
 * @param kafka Kafka settings; without bootstrap servers the demo starts its own embedded broker
 * @param framesPerSecond all cameras together
 * @param cameras simulated cameras
 * @param seed scenario draws
 * @param drainTimeout the longest to wait, after the cameras stop, for the last events
 * @param metricsPort serve the service's Prometheus metrics on this port while the demo runs; 0 = off
 */
public record FaceDemoOptions(
    Duration duration,
    Path faceModel,
    Path tarball,
    KafkaSettings kafka,
    double framesPerSecond,
    int cameras,
    long seed,
    Duration drainTimeout,
    int metricsPort) {

  /** Frames per second unless told otherwise: what two shared cores keep up with, with room to spare. */
  public static final double DEFAULT_FPS = 8;

  public FaceDemoOptions {
    Objects.requireNonNull(faceModel, "faceModel");
    Objects.requireNonNull(tarball, "tarball");
    Objects.requireNonNull(kafka, "kafka");
    new CameraSchedule(duration, framesPerSecond, cameras, drainTimeout); // checks them
  }

  /** The cameras' part of these options. */
  CameraSchedule schedule() {
    return new CameraSchedule(duration, framesPerSecond, cameras, drainTimeout);
  }
}
