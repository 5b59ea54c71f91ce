package io.siamesestreams.trainer.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.matching.DistanceFunction;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ThresholdCalibrationTest {

  private static final DistanceFunction L2 = DistanceFunction.of(ModelManifest.Metric.L2);

  /**
   * One-dimensional embeddings, so every distance is |a − b|: person 0 at 0.0 and 0.1, person 1 at
   * 1.0 and 1.3, person 2 at 3.0. Genuine distances: 0.1, 0.3. Impostor distances (8): 0.9, 1.0, 1.2,
   * 1.3, 1.7, 2.0, 2.9, 3.0.
   */
  private static final float[][] EMBEDDINGS = {{0.0f}, {0.1f}, {1.0f}, {1.3f}, {3.0f}};
  private static final int[] LABELS = {0, 0, 1, 1, 2};

  @Test
  void shouldCountAllPairsAndPutTheThresholdJustBelowTheFirstImpostorBeyondTheTarget() {
    // Target 0.25 of 8 impostor pairs: 2 may be accepted (0.9 and 1.0); the third, 1.2, must not.
    ThresholdCalibration c = ThresholdCalibration.calibrate(EMBEDDINGS, LABELS, L2, 0.6, 0.25);

    assertThat(c.people()).isEqualTo(3);
    assertThat(c.photos()).isEqualTo(5);
    assertThat(c.genuinePairs()).isEqualTo(2);
    assertThat(c.impostorPairs()).isEqualTo(8);
    double impostor12 = L2.between(EMBEDDINGS[1], EMBEDDINGS[3]);
    assertThat(c.threshold()).isLessThan(impostor12).isEqualTo(Math.nextDown(impostor12));
    assertThat(c.atThreshold()).isEqualTo(new ThresholdCalibration.Rates(2, 8, 0, 2));
    assertThat(c.atThreshold().far()).isEqualTo(0.25);
    // At 0.6 no impostor pair is accepted, and both genuine pairs are.
    assertThat(c.atPrevious()).isEqualTo(new ThresholdCalibration.Rates(0, 8, 0, 2));
  }

  @Test
  void shouldRejectGenuinePairsWhenTheTargetIsBelowOneImpostorPair() {
    // 0.1 · 8 < 1: no impostor pair may be accepted; the threshold sits just below 0.9, above both genuine pairs.
    ThresholdCalibration c = ThresholdCalibration.calibrate(EMBEDDINGS, LABELS, L2, 0.6, 0.1);

    assertThat(c.threshold()).isEqualTo(Math.nextDown(L2.between(EMBEDDINGS[1], EMBEDDINGS[2])));
    assertThat(c.atThreshold().falseAccepts()).isZero();
    assertThat(c.tooFewImpostorPairs()).isTrue();
    assertThat(c.impostorPairsNeeded()).isEqualTo(100);
  }

  @Test
  void shouldWriteTheThresholdTargetAndProvenanceIntoTheDecision() {
    ThresholdCalibration c = ThresholdCalibration.calibrate(EMBEDDINGS, LABELS, L2, 0.6, 0.25);
    Instant at = Instant.parse("2026-12-05T19:00:00Z");

    ModelManifest.Decision d = c.decision("photos", 1, at);

    assertThat(d.threshold()).isEqualTo(c.threshold());
    assertThat(d.targetFalseAcceptRate()).isEqualTo(0.25);
    assertThat(d.calibratedOn()).contains("photos").contains("3 people").contains("2 genuine and 8 impostor pairs");
    assertThat(d.calibration()).isEqualTo(
        new ModelManifest.Calibration("photos", 3, 5, 1, 2, 8, 0.25, 0.0, 0.6, at));
  }

  @Test
  void shouldRefuseDataWithoutGenuineOrImpostorPairs() {
    assertThatThrownBy(() -> ThresholdCalibration.calibrate(new float[][] {{0f}, {1f}}, new int[] {0, 1}, L2, 0.6, 0.1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no genuine pairs");
    assertThatThrownBy(() -> ThresholdCalibration.calibrate(new float[][] {{0f}, {1f}}, new int[] {0, 0}, L2, 0.6, 0.1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no impostor pairs");
    assertThatThrownBy(() -> ThresholdCalibration.calibrate(EMBEDDINGS, LABELS, L2, 0.6, 1.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be in (0, 1)");
  }
}
