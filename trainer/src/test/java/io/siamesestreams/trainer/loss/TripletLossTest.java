package io.siamesestreams.trainer.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TripletLossTest {
  static NDManager manager;

  @BeforeAll
  static void startEngine() {
    manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
  }

  @AfterAll
  static void closeManager() {
    manager.close();
  }

  /** Same points as {@link TripletMinerTest#POINTS}: d01 = 1, d02 = 4, d03 = 9, d12 = 1, d13 = 10, d23 = 13. */
  NDArray points() {
    return manager.create(new float[] {0, 0, 1, 0, 2, 0, 0, 3}, new ai.djl.ndarray.types.Shape(4, 2));
  }

  @Test
  void pairwiseSquaredDistancesShouldMatchTheHandComputedMatrix() {
    float[] d = TripletLoss.pairwiseSquaredDistances(points()).toFloatArray();

    assertThat(d).containsExactly(new float[] {0, 1, 4, 9, 1, 0, 1, 10, 4, 1, 0, 13, 9, 10, 13, 0}, within(1e-5f));
  }

  @Test
  void semiHardLossShouldAverageTheHingeOverOneTripletPerAnchorPositivePair() {
    LossResult result = new TripletLoss(0.2f, Mining.SEMI_HARD).compute(points(), TripletMinerTest.LABELS);

    // Triplets (0,1,2), (1,0,3), (2,3,0), (3,2,1):
    // max(1−4+.2, 0) = 0, max(1−10+.2, 0) = 0, 13−4+.2 = 9.2, 13−10+.2 = 3.2 → mean 12.4 / 4.
    assertThat(result.value()).isCloseTo(3.1f, within(1e-5f));
    assertThat(result.loss().getFloat()).isCloseTo(3.1f, within(1e-5f));
    assertThat(result.activeFraction()).isEqualTo(0.5f);
  }

  @Test
  void euclideanLossShouldUseThePlainDistancesOfTheSameTriplets() {
    LossResult result = new TripletLoss(0.2f, Mining.SEMI_HARD, true).compute(points(), TripletMinerTest.LABELS);

    // Same triplets as the squared case, on sqrt(d + ε): (0,1,2) 1 − 2 + .2 < 0, (1,0,3) 1 − √10 + .2 < 0,
    // (2,3,0) √13 − 2 + .2, (3,2,1) √13 − √10 + .2.
    double e = TripletLoss.EUCLIDEAN_EPSILON;
    double expected =
        ((Math.sqrt(13 + e) - Math.sqrt(4 + e) + 0.2) + (Math.sqrt(13 + e) - Math.sqrt(10 + e) + 0.2)) / 4;
    assertThat((double) result.value()).isCloseTo(expected, within(1e-5));
    assertThat(result.activeFraction()).isEqualTo(0.5f);
  }

  @Test
  void batchHardLossShouldUseTheHardestPositiveAndNegativeOfEachAnchor() {
    LossResult result = new TripletLoss(0.2f, Mining.BATCH_HARD).compute(points(), TripletMinerTest.LABELS);

    // a0: (1, closest neg 2 at 4) → 0; a1: (0 at 1, neg 2 at 1) → 0.2; a2: (3 at 13, neg 1 at 1) → 12.2;
    // a3: (2 at 13, neg 0 at 9) → 4.2. Mean 16.6 / 4.
    assertThat(result.value()).isCloseTo(4.15f, within(1e-5f));
    assertThat(result.activeFraction()).isEqualTo(0.75f);
  }

  @Test
  void batchAllLossShouldAverageOnlyOverTripletsWithAPositiveLoss() {
    LossResult result = new TripletLoss(0.2f, Mining.BATCH_ALL).compute(points(), TripletMinerTest.LABELS);

    // 8 triplets; positive: (1,0,2) 0.2, (2,3,0) 9.2, (2,3,1) 12.2, (3,2,0) 4.2, (3,2,1) 3.2 → 29 / 5.
    assertThat(result.value()).isCloseTo(5.8f, within(1e-5f));
    assertThat(result.activeFraction()).isEqualTo(5f / 8f);
  }

  @Test
  void batchAllLossShouldBeZeroWhenEveryTripletIsSatisfied() {
    NDArray far = manager.create(new float[] {0, 0, 0, 0.1f, 10, 0, 10, 0.1f}, new ai.djl.ndarray.types.Shape(4, 2));
    LossResult result = new TripletLoss(0.2f, Mining.BATCH_ALL).compute(far, TripletMinerTest.LABELS);

    assertThat(result.value()).isZero();
    assertThat(result.activeFraction()).isZero();
    assertThat(result.loss().getShape().isScalar()).isTrue();
  }

  @Test
  void shouldGiveAZeroLossWhenTheBatchHasNoValidTriplet() {
    LossResult result = new TripletLoss(0.2f, Mining.SEMI_HARD).compute(points(), new int[] {0, 1, 2, 3});

    assertThat(result.value()).isZero();
    assertThat(result.activeFraction()).isZero();
  }

  @Test
  void gradientShouldFlowToTheEmbeddingsAndMatchTheHandDerivative() {
    NDArray embeddings = points();
    embeddings.setRequiresGradient(true);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      LossResult result = new TripletLoss(0.2f, Mining.SEMI_HARD).compute(embeddings, TripletMinerTest.LABELS);
      collector.backward(result.loss());
    }
    float[] gradient = embeddings.getGradient().toFloatArray();

    // L = ¼ [(d23 − d20 + .2) + (d32 − d31 + .2)], ∂d_ij/∂e_i = 2 (e_i − e_j):
    // ∂L/∂e0 = −½ (e0 − e2) = (1, 0); ∂L/∂e1 = −½ (e1 − e3) = (−0.5, 1.5);
    // ∂L/∂e2 = ½ (e2 − e3) + ½ (e2 − e3) − ½ (e2 − e0) = (2 − 1, −3) = (1, −3);
    // ∂L/∂e3 = (e3 − e2) − ½ (e3 − e1) = (−2 + 0.5, 3 − 1.5) = (−1.5, 1.5).
    assertThat(gradient).containsExactly(new float[] {1, 0, -0.5f, 1.5f, 1, -3, -1.5f, 1.5f}, within(1e-5f));
  }

  @Test
  void detailedResultShouldReportTheMinedTripletsAndTheirLosses() {
    TripletLoss.Detailed detailed =
        new TripletLoss(0.2f, Mining.SEMI_HARD).computeDetailed(points(), TripletMinerTest.LABELS);

    assertThat(detailed.triplets().negatives()).containsExactly(2, 3, 0, 1);
    assertThat(detailed.tripletLosses()).containsExactly(new float[] {0, 0, 9.2f, 3.2f}, within(1e-5f));
  }

  @Test
  void shouldRejectANonPositiveMarginAndMismatchedLabels() {
    assertThatThrownBy(() -> new TripletLoss(0f, Mining.SEMI_HARD)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TripletLoss(0.2f, Mining.SEMI_HARD).compute(points(), new int[] {0, 0, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 labels");
  }
}
