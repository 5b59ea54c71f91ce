package io.siamesestreams.trainer.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.siamesestreams.trainer.data.PairSet;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BinaryPairLossTest {
  static NDManager manager;

  @BeforeAll
  static void startEngine() {
    manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
  }

  @AfterAll
  static void closeManager() {
    manager.close();
  }

  NDArray points() {
    return manager.create(new float[] {0, 0, 1, 0, 2, 0, 0, 3}, new Shape(4, 2));
  }

  static double softplus(double z) {
    return Math.log1p(Math.exp(z));
  }

  @Test
  void logitsShouldBeTheWeightedAbsoluteDifferencePlusBias() {
    NDArray z =
        BinaryPairLoss.logits(
            points(), new int[] {0, 0, 1}, new int[] {1, 3, 3},
            manager.create(new float[] {1f, 0.5f}), manager.create(new float[] {-1f}));

    // |e0−e1| = (1,0) → 1 − 1 = 0; |e0−e3| = (0,3) → 1.5 − 1 = 0.5; |e1−e3| = (1,3) → 1 + 1.5 − 1 = 1.5.
    assertThat(z.toFloatArray()).containsExactly(new float[] {0f, 0.5f, 1.5f}, within(1e-6f));
  }

  @Test
  void lossShouldBeTheMeanBinaryCrossEntropyOfTheHeadProbabilities() {
    PairSet pairs = new PairSet(new int[] {0, 0, 1}, new int[] {1, 3, 3}, new boolean[] {true, false, false});
    LossResult result =
        BinaryPairLoss.loss(
            points(), pairs, manager.create(new float[] {1f, 0.5f}), manager.create(new float[] {-1f}));

    // −log σ(0) for the same pair; −log(1 − σ(z)) = softplus(z) for the different pairs, z = 0.5, 1.5.
    double p0 = 1 / (1 + Math.exp(-0.0));
    double expected = (-Math.log(p0) + softplus(0.5) + softplus(1.5)) / 3;
    assertThat((double) result.value()).isCloseTo(expected, within(1e-6));
    // z ≥ 0 on both different pairs is wrong; z = 0 on the same pair is right (p = ½ counts as same).
    assertThat(result.activeFraction()).isCloseTo(2f / 3f, within(1e-6f));
  }

  @Test
  void lossShouldStayFiniteForLargeLogits() {
    PairSet pairs = new PairSet(new int[] {0, 0}, new int[] {1, 3}, new boolean[] {true, false});
    LossResult result =
        BinaryPairLoss.loss(
            points(), pairs, manager.create(new float[] {-200f, -200f}), manager.create(new float[] {0f}));

    // Same pair z = −200 → loss 200; different pair z = −600 → loss ≈ 0.
    assertThat(result.value()).isCloseTo(100f, within(1e-3f));
    assertThat(result.activeFraction()).isEqualTo(0.5f);
  }

  @Test
  void selectPairsShouldTakeEverySamePairAndAsManyDistinctDifferentPairs() {
    int[] labels = {0, 0, 0, 1, 1, 2};
    PairSet pairs = BinaryPairLoss.selectPairs(labels, new Random(3));

    // Same pairs: 3 of label 0, 1 of label 1; different pairs available: 15 − 4 = 11.
    assertThat(pairs.size()).isEqualTo(8);
    int same = 0;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < pairs.size(); i++) {
      assertThat(pairs.left()[i]).isLessThan(pairs.right()[i]);
      assertThat(pairs.same()[i]).isEqualTo(labels[pairs.left()[i]] == labels[pairs.right()[i]]);
      assertThat(seen.add(pairs.left()[i] + "," + pairs.right()[i])).isTrue();
      same += pairs.same()[i] ? 1 : 0;
    }
    assertThat(same).isEqualTo(4);
    assertThat(BinaryPairLoss.selectPairs(labels, new Random(3))).usingRecursiveComparison().isEqualTo(pairs);
  }

  @Test
  void computeShouldBeReproducibleForASeedAndUseTheSelectedPairs() {
    int[] labels = {0, 0, 1, 1};
    NDArray w = manager.create(new float[] {1f, 0.5f});
    NDArray b = manager.create(new float[] {-1f});

    float first = new BinaryPairLoss(11).compute(points(), labels, w, b).value();
    float again = new BinaryPairLoss(11).compute(points(), labels, w, b).value();
    PairSet pairs = BinaryPairLoss.selectPairs(labels, new Random(11));
    float expected = BinaryPairLoss.loss(points(), pairs, w, b).value();

    assertThat(again).isEqualTo(first);
    assertThat(first).isCloseTo(expected, within(1e-6f));
  }

  @Test
  void gradientShouldReachTheEmbeddingsAndTheHead() {
    NDArray embeddings = points();
    NDArray w = manager.create(new float[] {1f, 0.5f});
    NDArray b = manager.create(new float[] {-1f});
    embeddings.setRequiresGradient(true);
    w.setRequiresGradient(true);
    b.setRequiresGradient(true);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.backward(new BinaryPairLoss(5).compute(embeddings, new int[] {0, 0, 1, 1}, w, b).loss());
    }

    assertThat(embeddings.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
    assertThat(w.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
    assertThat(b.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
  }

  @Test
  void shouldGiveAZeroLossWhenNoTwoImagesShareALabel() {
    LossResult result =
        new BinaryPairLoss(1).compute(
            points(), new int[] {0, 1, 2, 3}, manager.create(new float[] {1f, 1f}), manager.create(new float[] {0f}));

    assertThat(result.value()).isZero();
  }
}
