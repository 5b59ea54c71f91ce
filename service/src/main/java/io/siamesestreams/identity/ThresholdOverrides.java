package io.siamesestreams.identity;

import io.siamesestreams.bundle.ModelManifest;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Decision thresholds set by the deployment instead of the bundle, as read from the service's
 * configuration ({@code --config} file, {@code --threshold}): the bundle's {@code model.json} is
 * never edited.
 *
 * <ul>
 *   <li>{@value #DEPLOYMENT_KEY} = the threshold of this deployment (every camera without its own);
 *   <li>{@value #CAMERA_PREFIX}{@code <cameraId>}{@value #CAMERA_SUFFIX} = the threshold of the frames
 *       whose {@code cameraId} is {@code <cameraId>} (which may contain dots).
 * </ul>
 *
 * Parsing ({@link #fromConfig}) rejects a value that is not a finite number &gt; 0, and any other key
 * under {@value #CAMERA_PREFIX} or {@value #DECISION_PREFIX}; the upper bound depends on the bundle
 * and is checked by {@link #resolve}. Every error names the key.
 *
 * @param deployment the deployment's threshold; null = the bundle's
 * @param cameras threshold per camera id
 */
public record ThresholdOverrides(Double deployment, Map<String, Double> cameras) {

  public static final String DECISION_PREFIX = "siamese.decision.";
  public static final String DEPLOYMENT_KEY = DECISION_PREFIX + "threshold";
  public static final String CAMERA_PREFIX = "siamese.camera.";
  public static final String CAMERA_SUFFIX = ".threshold";

  public ThresholdOverrides {
    cameras = Map.copyOf(Objects.requireNonNull(cameras, "cameras"));
  }

  /** No overrides: the bundle's threshold everywhere. */
  public static ThresholdOverrides none() {
    return new ThresholdOverrides(null, Map.of());
  }

  /** The configuration key of {@code cameraId}'s threshold. */
  public static String cameraKey(String cameraId) {
    return CAMERA_PREFIX + cameraId + CAMERA_SUFFIX;
  }

  /**
   * The overrides in {@code config} (other keys are ignored).
   *
   * @throws InvalidThresholdException naming the key, for a value that is not a number &gt; 0 or an
   *     unknown key under {@value #CAMERA_PREFIX} or {@value #DECISION_PREFIX}
   */
  public static ThresholdOverrides fromConfig(Map<String, String> config) {
    Double deployment = null;
    Map<String, Double> cameras = new TreeMap<>();
    for (Map.Entry<String, String> entry : new TreeMap<>(config).entrySet()) {
      String key = entry.getKey();
      if (key.equals(DEPLOYMENT_KEY)) {
        deployment = parse(key, entry.getValue());
      } else if (key.startsWith(DECISION_PREFIX)) {
        throw new InvalidThresholdException(key, "unknown key " + key + " (the only " + DECISION_PREFIX
            + "* key is " + DEPLOYMENT_KEY + ")");
      } else if (key.startsWith(CAMERA_PREFIX)) {
        String rest = key.substring(CAMERA_PREFIX.length());
        if (!rest.endsWith(CAMERA_SUFFIX) || rest.length() == CAMERA_SUFFIX.length()) {
          throw new InvalidThresholdException(key, "unknown key " + key + " (per-camera keys are "
              + CAMERA_PREFIX + "<cameraId>" + CAMERA_SUFFIX + ")");
        }
        cameras.put(rest.substring(0, rest.length() - CAMERA_SUFFIX.length()), parse(key, entry.getValue()));
      }
    }
    return new ThresholdOverrides(deployment, cameras);
  }

  /** These overrides with the deployment's threshold replaced (e.g. by {@code --threshold}). */
  public ThresholdOverrides withDeployment(double threshold) {
    return new ThresholdOverrides(parse(DEPLOYMENT_KEY, Double.toString(threshold)), cameras);
  }

  /**
   * The thresholds the matcher decides with for a bundle: camera's, else deployment's, else
   * {@code manifest.decision().threshold()}.
   *
   * @throws InvalidThresholdException naming the key, when an override is above
   *     {@link #maxDistance(ModelManifest)}
   */
  public DecisionThresholds resolve(ModelManifest manifest) {
    double max = maxDistance(manifest);
    if (deployment != null) {
      requireAtMost(DEPLOYMENT_KEY, deployment, max, manifest);
    }
    cameras.forEach((camera, value) -> requireAtMost(cameraKey(camera), value, max, manifest));
    return new DecisionThresholds(deployment == null ? manifest.decision().threshold() : deployment, cameras);
  }

  /**
   * The largest distance two embeddings of this bundle can have, the upper bound of a threshold:
   * for L2-normalised embeddings 2 with metric L2 and 4 with SQUARED_L2 (two opposite unit
   * vectors); {@link Double#POSITIVE_INFINITY} (no bound) for embeddings that are not normalised.
   */
  public static double maxDistance(ModelManifest manifest) {
    if (!manifest.output().l2Normalized()) {
      return Double.POSITIVE_INFINITY;
    }
    return switch (manifest.distance().metric()) {
      case L2 -> 2.0;
      case SQUARED_L2 -> 4.0;
    };
  }

  private static void requireAtMost(String key, double value, double max, ModelManifest manifest) {
    if (value > max) {
      throw new InvalidThresholdException(key, key + " = " + value + " is outside (0, " + max + "]: the largest "
          + manifest.distance().metric() + " distance between L2-normalised embeddings of model "
          + manifest.modelId() + " is " + max);
    }
  }

  private static double parse(String key, String text) {
    double value;
    try {
      value = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new InvalidThresholdException(key, key + " = '" + text + "' is not a number");
    }
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new InvalidThresholdException(key, key + " = " + text.trim() + " is outside (0, max distance]");
    }
    return value;
  }

  /** A threshold setting that stops start-up; {@link #key()} is the configuration key at fault. */
  public static final class InvalidThresholdException extends IllegalArgumentException {

    private final String key;

    public InvalidThresholdException(String key, String message) {
      super(message);
      this.key = key;
    }

    public String key() {
      return key;
    }
  }
}
