package io.siamesestreams.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RocCurveTest {

  // Positives 0.9 0.8 0.6 0.4, negatives 0.7 0.5 0.3 0.2: 13 of 16 positive–negative pairs ordered right.
  private static final double[] SCORES = {0.9, 0.7, 0.8, 0.5, 0.6, 0.3, 0.4, 0.2};
  private static final boolean[] SAME = {true, false, true, false, true, false, true, false};

  @Test
  void shouldComputeAucAsTheFractionOfCorrectlyOrderedPairs() {
    assertThat(RocCurve.of(SCORES, SAME).auc()).isCloseTo(13.0 / 16, within(1e-12));
  }

  @Test
  void shouldCountTiesBetweenAPositiveAndANegativeAsHalf() {
    // Positives 0.8, 0.5; negatives 0.5, 0.2: 3 ordered pairs + one tie = 3.5 / 4.
    RocCurve roc = RocCurve.of(new double[] {0.8, 0.5, 0.5, 0.2}, new boolean[] {true, true, false, false});

    assertThat(roc.auc()).isCloseTo(0.875, within(1e-12));
    assertThat(roc.falseAcceptRates()).containsExactly(0, 0, 0.5, 1);
    assertThat(roc.trueAcceptRates()).containsExactly(0, 0.5, 1, 1);
  }

  @Test
  void shouldMatchABruteForceMannWhitneyCountOnRandomScoresWithTies() {
    java.util.Random random = new java.util.Random(1);
    int n = 400;
    double[] scores = new double[n];
    boolean[] same = new boolean[n];
    for (int i = 0; i < n; i++) {
      same[i] = random.nextBoolean();
      scores[i] = random.nextInt(20) + (same[i] ? 3 : 0); // few distinct values: many ties
    }
    double wins = 0;
    long comparisons = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (same[i] && !same[j]) {
          comparisons++;
          wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
        }
      }
    }

    assertThat(RocCurve.of(scores, same).auc()).isCloseTo(wins / comparisons, within(1e-12));
  }

  @Test
  void shouldGiveAucOneForPerfectSeparationAndZeroForReversedScores() {
    boolean[] same = {true, true, false, false};
    assertThat(RocCurve.of(new double[] {4, 3, 2, 1}, same).auc()).isEqualTo(1.0);
    assertThat(RocCurve.of(new double[] {1, 2, 3, 4}, same).auc()).isEqualTo(0.0);
    assertThat(RocCurve.of(new double[] {1, 1, 1, 1}, same).auc()).isEqualTo(0.5);
  }

  @Test
  void shouldFindTheEqualErrorRateWhereFarEqualsFrr() {
    // At threshold 0.6 one negative of four (0.7) is accepted and one positive of four (0.4) rejected.
    assertThat(RocCurve.of(SCORES, SAME).eer()).isCloseTo(0.25, within(1e-12));
  }

  @Test
  void shouldInterpolateTheEqualErrorRateAlongATiedSegment() {
    RocCurve roc = RocCurve.of(new double[] {0.8, 0.5, 0.5, 0.2}, new boolean[] {true, true, false, false});
    // The tie joins (0, 0.5) and (0.5, 1); FAR = 1 − TAR half-way along it.
    assertThat(roc.eer()).isCloseTo(0.25, within(1e-12));
  }

  @Test
  void shouldPickTheLargestThresholdKeepingFarAtOrBelowTheTarget() {
    RocCurve roc = RocCurve.of(SCORES, SAME);

    double t = roc.thresholdAtFar(0.25);

    assertThat(t).isEqualTo(Math.nextUp(0.5));
    assertThat(roc.farAt(t)).isEqualTo(0.25);
    assertThat(roc.farAt(Math.nextDown(t))).isEqualTo(0.5);
    assertThat(roc.tarAtFar(0.25)).isEqualTo(0.75);
    assertThat(roc.tarAtFar(0.2)).isEqualTo(0.5);
    assertThat(roc.tarAtFar(0.5)).isEqualTo(1.0);
  }

  @Test
  void shouldRejectNegativesTiedAtTheBoundaryTogether() {
    // Negatives 0.9, 0.5, 0.5, 0.1: accepting one 0.5 would mean accepting both (FAR 0.75 > 0.5).
    RocCurve roc =
        RocCurve.of(new double[] {0.9, 0.5, 0.5, 0.1, 0.7}, new boolean[] {false, false, false, false, true});

    double t = roc.thresholdAtFar(0.5);

    assertThat(t).isEqualTo(Math.nextUp(0.5));
    assertThat(roc.farAt(t)).isEqualTo(0.25);
  }

  @Test
  void shouldHitATargetFarThatFloatingPointMultiplicationWouldMissByOne() {
    // 0.29 · 100 = 28.999999999999996 in doubles, but 29 / 100 == 0.29.
    double[] scores = new double[101];
    boolean[] same = new boolean[101];
    for (int i = 0; i < 100; i++) {
      scores[i] = i;
    }
    scores[100] = 1000;
    same[100] = true;

    RocCurve roc = RocCurve.of(scores, same);

    assertThat(roc.farAt(roc.thresholdAtFar(0.29))).isEqualTo(0.29);
  }

  @Test
  void shouldTreatSmallerDistancesAsMoreSimilar() {
    double[] distances = {0.1, 0.3, 0.2, 0.9};
    boolean[] same = {true, false, true, false};

    RocCurve roc = RocCurve.ofDistances(distances, same);

    assertThat(roc.auc()).isEqualTo(1.0);
    assertThat(roc.accuracyAt(-0.25)).isEqualTo(1.0);
    assertThat(roc.accuracyAt(-0.15)).isEqualTo(0.75);
  }

  @Test
  void shouldRejectNaNScoresAndOneClassInputs() {
    assertThatThrownBy(() -> RocCurve.of(new double[] {Double.NaN, 1}, new boolean[] {true, false}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> RocCurve.of(new double[] {1, 2}, new boolean[] {true, true}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positives and negatives");
    assertThatThrownBy(() -> RocCurve.of(SCORES, SAME).thresholdAtFar(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
