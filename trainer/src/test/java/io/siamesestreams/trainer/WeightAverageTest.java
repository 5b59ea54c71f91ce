package io.siamesestreams.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightAverageTest {

  @Test
  void shouldFollowTheWeightsWithTheWarmedUpDecayAndCopyTheAverageBack() {
    try (NDManager manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch")) {
      Linear layer = Linear.builder().setUnits(2).build();
      layer.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
      Parameter weight = layer.getParameters().get("weight");
      weight.getArray().set(new float[] {0, 0, 0, 0});

      try (WeightAverage average = new WeightAverage(List.of(layer), 0.9f)) {
        weight.getArray().set(new float[] {1, 1, 1, 1});
        average.update(); // δ = min(0.9, 2/11)
        double first = 1 - 2.0 / 11;
        weight.getArray().set(new float[] {2, 2, 2, 2});
        average.update(); // δ = min(0.9, 3/12)
        double second = 0.25 * first + 0.75 * 2;
        assertThat(weight.getArray().toFloatArray()[0]).isEqualTo(2f);

        average.copyIntoParameters();

        for (float v : weight.getArray().toFloatArray()) {
          assertThat((double) v).isCloseTo(second, within(1e-6));
        }
      }
    }
  }
}
