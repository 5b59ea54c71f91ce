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
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(modelDirectory, "modelDirectory");
    Objects.requireNonNull(datasetDirectory, "datasetDirectory");
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive");
    }
    if (!(framesPerSecond > 0)) {
      throw new IllegalArgumentException("framesPerSecond must be > 0");
    }
    if (cameras < 1 || imagesPerIdentity < 1) {
      throw new IllegalArgumentException("cameras and imagesPerIdentity must be >= 1");
    }
  }

  /** 60 s, {@code models/fashion-mnist}, embedded broker, 50 frames/s over 4 cameras, 5 images per identity. */
  public static DemoOptions defaults() {
    return new DemoOptions(Duration.ofSeconds(60), DEFAULT_MODEL, FashionMnistImages.DEFAULT_DIRECTORY,
        KafkaSettings.empty(), 50, 4, 5, 42, Duration.ofSeconds(60));
  }
}
