package io.siamesestreams.demo;

import io.siamesestreams.config.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run the demo.
 *
 * @param duration how long the cameras stream
 * @param modelDirectory the model bundle the service loads
 * @param datasetDirectory the Fashion-MNIST gz IDX files
 * @param kafka Kafka settings; without bootstrap servers the demo starts its own embedded broker
 * @param framesPerSecond all cameras together
 * @param cameras simulated cameras
 * @param imagesPerIdentity training images enrolled per Fashion-MNIST class
 * @param seed scenario draws
 * @param drainTimeout the longest to wait, after the cameras stop, for the last events
 */
public record DemoOptions(
    Duration duration,
    Path modelDirectory,
    Path datasetDirectory,
    KafkaSettings kafka,
    double framesPerSecond,
    int cameras,
    int imagesPerIdentity,
    long seed,
    Duration drainTimeout) {

  public static final Path DEFAULT_MODEL = Path.of("models", "fashion-mnist");

  public DemoOptions {
    Objects.requireNonNull(modelDirectory, "modelDirectory");
    Objects.requireNonNull(datasetDirectory, "datasetDirectory");
    Objects.requireNonNull(kafka, "kafka");
    new CameraSchedule(duration, framesPerSecond, cameras, drainTimeout); // checks them
    if (imagesPerIdentity < 1) {
      throw new IllegalArgumentException("imagesPerIdentity must be >= 1");
    }
  }

  /** The cameras' part of these options. */
  CameraSchedule schedule() {
    return new CameraSchedule(duration, framesPerSecond, cameras, drainTimeout);
  }

  /** 60 s, {@code models/fashion-mnist}, embedded broker, 50 frames/s over 4 cameras, 5 images per identity. */
  public static DemoOptions defaults() {
    return new DemoOptions(Duration.ofSeconds(60), DEFAULT_MODEL, FashionMnistImages.defaultDirectory(),
        KafkaSettings.empty(), 50, 4, 5, 42, Duration.ofSeconds(60));
  }
}
