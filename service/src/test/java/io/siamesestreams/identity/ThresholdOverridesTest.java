package io.siamesestreams.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.testing.TestBundles;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdOverridesTest {

  /** The test bundle: SQUARED_L2 on L2-normalised embeddings, threshold 0.5. */
  private static final ModelManifest BUNDLE = TestBundles.manifest(TestBundles.MODEL_VERSION, true);

  private static ModelManifest withOutputAndMetric(boolean l2Normalized, ModelManifest.Metric metric) {
    return new ModelManifest(BUNDLE.formatVersion(), BUNDLE.modelId(), BUNDLE.modelVersion(), BUNDLE.createdAt(),
        BUNDLE.input(), new ModelManifest.Output(BUNDLE.output().tensorName(), BUNDLE.output().dimension(),
            l2Normalized), new ModelManifest.Distance(metric, "-"), BUNDLE.decision(), BUNDLE.head(),
        BUNDLE.provenance(), BUNDLE.evaluation());
  }

  @Test
  void shouldDecideWithTheCamerasThresholdElseTheDeploymentsElseTheBundles() {
    DecisionThresholds withDeployment = ThresholdOverrides.fromConfig(Map.of(
        "siamese.decision.threshold", "0.7",
        "siamese.camera.server-room.threshold", "0.3",
        "siamese.topic.frames", "gate-frames")).resolve(BUNDLE);
    DecisionThresholds bundleOnly = ThresholdOverrides.fromConfig(Map.of(
        "siamese.camera.server-room.threshold", "0.3")).resolve(BUNDLE);

    assertThat(withDeployment.forCamera("server-room")).isEqualTo(0.3);
    assertThat(withDeployment.forCamera("lobby")).isEqualTo(0.7);
    assertThat(withDeployment.forCamera(null)).isEqualTo(0.7);
    assertThat(bundleOnly.forCamera("server-room")).isEqualTo(0.3);
    assertThat(bundleOnly.forCamera("lobby")).isEqualTo(TestBundles.THRESHOLD);
    assertThat(ThresholdOverrides.none().resolve(BUNDLE)).isEqualTo(DecisionThresholds.uniform(TestBundles.THRESHOLD));
  }

  @Test
  void shouldTakeACameraIdWithDotsFromBetweenThePrefixAndTheSuffix() {
    DecisionThresholds thresholds = ThresholdOverrides.fromConfig(Map.of(
        "siamese.camera.site-1.door.east.threshold", "0.25")).resolve(BUNDLE);

    assertThat(thresholds.cameras()).containsExactly(Map.entry("site-1.door.east", 0.25));
  }

  @Test
  void shouldLetTheThresholdFlagWinOverTheConfigFile() {
    ThresholdOverrides overrides = ThresholdOverrides.fromConfig(Map.of("siamese.decision.threshold", "0.7"))
        .withDeployment(0.4);

    assertThat(overrides.resolve(BUNDLE).forCamera("any")).isEqualTo(0.4);
  }

  @Test
  void shouldRefuseValuesThatAreNotPositiveNumbersNamingTheKey() {
    for (String bad : new String[] {"0", "-0.1", "NaN", "Infinity", "strict", ""}) {
      assertThatThrownBy(() -> ThresholdOverrides.fromConfig(Map.of("siamese.camera.lobby.threshold", bad)))
          .as(bad)
          .isInstanceOfSatisfying(ThresholdOverrides.InvalidThresholdException.class,
              e -> assertThat(e.key()).isEqualTo("siamese.camera.lobby.threshold"))
          .hasMessageContaining("siamese.camera.lobby.threshold");
    }
    assertThatThrownBy(() -> ThresholdOverrides.fromConfig(Map.of("siamese.decision.threshold", "-1")))
        .hasMessageContaining("siamese.decision.threshold").hasMessageContaining("outside (0,");
  }

  @Test
  void shouldRefuseUnknownCameraAndDecisionKeysNamingThem() {
    for (String unknown : new String[] {"siamese.camera.lobby.treshold", "siamese.camera.lobby",
        "siamese.camera.threshold", "siamese.camera..threshold.x", "siamese.decision.thresold"}) {
      assertThatThrownBy(() -> ThresholdOverrides.fromConfig(Map.of(unknown, "0.5")))
          .as(unknown)
          .isInstanceOf(ThresholdOverrides.InvalidThresholdException.class)
          .hasMessageContaining("unknown key " + unknown);
    }
  }

  @Test
  void shouldBoundThresholdsByTheLargestDistanceBetweenNormalisedEmbeddings() {
    assertThat(ThresholdOverrides.maxDistance(BUNDLE)).isEqualTo(4.0);
    assertThat(ThresholdOverrides.maxDistance(withOutputAndMetric(true, ModelManifest.Metric.L2))).isEqualTo(2.0);
    assertThat(ThresholdOverrides.maxDistance(withOutputAndMetric(false, ModelManifest.Metric.L2)))
        .isEqualTo(Double.POSITIVE_INFINITY);

    ThresholdOverrides atBound = ThresholdOverrides.fromConfig(Map.of("siamese.camera.lobby.threshold", "4"));
    assertThat(atBound.resolve(BUNDLE).forCamera("lobby")).isEqualTo(4.0);
    assertThatThrownBy(() -> atBound.resolve(withOutputAndMetric(true, ModelManifest.Metric.L2)))
        .isInstanceOfSatisfying(ThresholdOverrides.InvalidThresholdException.class,
            e -> assertThat(e.key()).isEqualTo("siamese.camera.lobby.threshold"))
        .hasMessageContaining("siamese.camera.lobby.threshold = 4.0 is outside (0, 2.0]");
    assertThat(ThresholdOverrides.fromConfig(Map.of("siamese.decision.threshold", "9.5"))
        .resolve(withOutputAndMetric(false, ModelManifest.Metric.L2)).forCamera("lobby")).isEqualTo(9.5);
  }
}
