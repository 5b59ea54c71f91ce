package io.siamesestreams.identity;

import java.util.Map;
import java.util.Objects;

/**
 * The thresholds a {@link GalleryMatcher} decides with: MATCH when {@code distance <= forCamera(cameraId)}.
 * Built by {@link ThresholdOverrides#resolve} from the bundle and the deployment's configuration.
 *
 * @param fallback the threshold of a camera without its own: the deployment's, else the bundle's
 * @param cameras threshold per camera id (the frame's {@code cameraId})
 */
public record DecisionThresholds(double fallback, Map<String, Double> cameras) {

  public DecisionThresholds {
    cameras = Map.copyOf(Objects.requireNonNull(cameras, "cameras"));
  }

  /** The same threshold for every camera (e.g. the bundle's). */
  public static DecisionThresholds uniform(double threshold) {
    return new DecisionThresholds(threshold, Map.of());
  }

  /** The threshold for frames of {@code cameraId}: the camera's own, else {@link #fallback()}. */
  public double forCamera(String cameraId) {
    Double own = cameraId == null ? null : cameras.get(cameraId);
    return own == null ? fallback : own;
  }
}
