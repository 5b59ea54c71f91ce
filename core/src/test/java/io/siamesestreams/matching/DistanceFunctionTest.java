package io.siamesestreams.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.siamesestreams.bundle.ModelManifest.Metric;
import org.junit.jupiter.api.Test;

class DistanceFunctionTest {

  @Test
  void shouldComputeTheSquaredEuclideanDistanceBetweenSlices() {
    float[] a = {9, 1, 2, 3, 9};
    float[] b = {4, 6, 9};

    assertThat(DistanceFunction.of(Metric.SQUARED_L2).between(a, 1, b, 0, 3)).isCloseTo(9 + 16 + 36, within(1e-12));
  }

  @Test
  void shouldComputeTheEuclideanDistance() {
    assertThat(DistanceFunction.of(Metric.L2).between(new float[] {0, 0}, new float[] {3, 4})).isCloseTo(5, within(1e-12));
  }

  @Test
  void shouldGiveZeroForIdenticalEmbeddings() {
    float[] a = {0.1f, -0.7f, 0.3f};
    assertThat(DistanceFunction.of(Metric.SQUARED_L2).between(a, a)).isZero();
    assertThat(DistanceFunction.of(Metric.L2).between(a, a)).isZero();
  }
}
