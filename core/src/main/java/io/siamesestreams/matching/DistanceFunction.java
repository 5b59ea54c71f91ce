package io.siamesestreams.matching;

import io.siamesestreams.bundle.ModelManifest;
import java.util.Objects;

/**
 * The manifest's distance metric as code.
 *
 * <p>Implementations take each difference {@code a_k − b_k} in float and accumulate the squares
 * in double. They do not check bounds beyond what array access does.
 */
@FunctionalInterface
public interface DistanceFunction {

  /** Distance between {@code a[aOffset..aOffset+dim)} and {@code b[bOffset..bOffset+dim)}. */
  double between(float[] a, int aOffset, float[] b, int bOffset, int dim);

  /** {@code between(a, 0, b, 0, a.length)}; {@code a} and {@code b} must have the same length. */
  default double between(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("embeddings differ in length: " + a.length + " vs " + b.length);
    }
    return between(a, 0, b, 0, a.length);
  }

  /**
   * @return {@code Σ_k (a_k − b_k)²} for {@link ModelManifest.Metric#SQUARED_L2},
   *     {@code sqrt(Σ_k (a_k − b_k)²)} for {@link ModelManifest.Metric#L2}
   */
  static DistanceFunction of(ModelManifest.Metric metric) {
    Objects.requireNonNull(metric, "metric");
    return switch (metric) {
      case SQUARED_L2 -> DistanceFunction::squaredL2;
      case L2 -> (a, aOffset, b, bOffset, dim) -> Math.sqrt(squaredL2(a, aOffset, b, bOffset, dim));
    };
  }

  /** {@code Σ_k (a_k − b_k)²} over {@code dim} components. */
  static double squaredL2(float[] a, int aOffset, float[] b, int bOffset, int dim) {
    double sum = 0;
    for (int k = 0; k < dim; k++) {
      double d = a[aOffset + k] - b[bOffset + k];
      sum += d * d;
    }
    return sum;
  }
}
