package io.siamesestreams.trainer.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CombinedLossTest {
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
  void shouldSumTheWeightedTripletAndBinaryLosses() {
    NDArray points = manager.create(new float[] {0, 0, 1, 0, 2, 0, 0, 3}, new Shape(4, 2));
    int[] labels = {0, 0, 1, 1};
    NDArray w = manager.create(new float[] {1f, 0.5f});
    NDArray b = manager.create(new float[] {-1f});

    CombinedLoss.Result result =
        new CombinedLoss(new TripletLoss(0.2f, Mining.SEMI_HARD), 2f, new BinaryPairLoss(9), 0.5f)
            .compute(points, labels, w, b);
    float binaryAlone = new BinaryPairLoss(9).compute(points, labels, w, b).value();

    assertThat(result.triplet().value()).isCloseTo(3.1f, within(1e-5f));
    assertThat(result.binary().value()).isCloseTo(binaryAlone, within(1e-6f));
    assertThat(result.value()).isCloseTo(2f * 3.1f + 0.5f * binaryAlone, within(1e-5f));
    assertThat(result.loss().getFloat()).isCloseTo(result.value(), within(1e-6f));
  }

  @Test
  void shouldSkipAPartWithZeroWeight() {
    NDArray points = manager.create(new float[] {0, 0, 1, 0, 2, 0, 0, 3}, new Shape(4, 2));
    CombinedLoss.Result result =
        new CombinedLoss(new TripletLoss(0.2f, Mining.BATCH_HARD), 1f, new BinaryPairLoss(9), 0f)
            .compute(points, new int[] {0, 0, 1, 1}, null, null);

    assertThat(result.binary()).isNull();
    assertThat(result.value()).isCloseTo(4.15f, within(1e-5f));
  }

  @Test
  void shouldRejectALossWithNoActivePart() {
    assertThatThrownBy(() -> new CombinedLoss(null, 1f, new BinaryPairLoss(1), 0f))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
