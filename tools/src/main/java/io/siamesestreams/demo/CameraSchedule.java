package io.siamesestreams.demo;

import java.time.Duration;
import java.util.Objects;

/**
 * How a demo's simulated cameras stream, shared by both demos ({@link DemoOptions},
 * {@link FaceDemoOptions}).
 *
 * @param duration how long the cameras stream; positive
 * @param framesPerSecond all cameras together; &gt; 0
 * @param cameras simulated cameras; &ge; 1
 * @param drainTimeout the longest to wait, after the cameras stop, for the last events
 */
record CameraSchedule(Duration duration, double framesPerSecond, int cameras, Duration drainTimeout) {

  CameraSchedule {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive");
    }
    if (!(framesPerSecond > 0)) {
      throw new IllegalArgumentException("framesPerSecond must be > 0");
    }
    if (cameras < 1) {
      throw new IllegalArgumentException("cameras must be >= 1");
    }
  }
}
