package io.siamesestreams.trainer.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CosFaceLossTest {
  static NDManager manager;

  @BeforeAll
  static void startEngine() {
    manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
  }

  @AfterAll
  static void closeManager() {
    manager.close();
  }

  @Test
  void shouldEqualTheHandComputedMarginSoftmaxCrossEntropy() {
    // Two unit embeddings, two classes with weights of length 2 and 3 (normalised inside the loss).
    NDArray embeddings = manager.create(new float[] {1, 0, 0.6f, 0.8f}, new Shape(2, 2));
    NDArray weights = manager.create(new float[] {2, 0, 0, 3}, new Shape(2, 2));
    float s = 4f;
    float m = 0.3f;

    LossResult result = new CosFaceLoss(s, m).compute(embeddings, weights, new int[] {0, 1});

    // Image 0: cosines (1, 0), label 0 → logits (s(1 − m), 0). Image 1: cosines (0.6, 0.8), label 1 → (2.4, s(0.8 − m)).
    double l0 = Math.log(Math.exp(s * (1 - m)) + Math.exp(0)) - s * (1 - m);
    double l1 = Math.log(Math.exp(s * 0.6) + Math.exp(s * (0.8 - m))) - s * (0.8 - m);
    assertThat((double) result.value()).isCloseTo((l0 + l1) / 2, within(1e-5));
    assertThat(result.activeFraction()).isZero();
  }

  @Test
  void shouldCountImagesClosestToAnotherClassAsActiveAndPullThemTowardsTheirOwn() {
    NDArray embeddings = manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
    NDArray weights = manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
    embeddings.setRequiresGradient(true);
    LossResult result;
    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
      result = new CosFaceLoss(8f, 0.2f).compute(embeddings, weights, new int[] {1, 1});
      collector.backward(result.loss());
    }

    assertThat(result.activeFraction()).isEqualTo(0.5f);
    float[] gradient = embeddings.getGradient().toFloatArray();
    // Image 0 (at class 0's weight, labelled 1): descending the gradient moves it towards (0, 1).
    assertThat(gradient[0]).isPositive();
    assertThat(gradient[1]).isNegative();
  }

  @Test
  void shouldRejectALabelWithoutAClassWeight() {
    NDArray embeddings = manager.create(new float[] {1, 0}, new Shape(1, 2));
    NDArray weights = manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));

    assertThatThrownBy(() -> new CosFaceLoss(8f, 0.2f).compute(embeddings, weights, new int[] {2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label 2");
  }
}
