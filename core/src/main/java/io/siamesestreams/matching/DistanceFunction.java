package io.siamesestreams.matching;

import io.siamesestreams.bundle.ModelManifest;

/** The manifest's distance metric as code. */
@FunctionalInterface
public interface DistanceFunction {

  /** Distance between {@code a[aOffset..aOffset+dim)} and {@code b[bOffset..bOffset+dim)}. */
  double between(float[] a, int aOffset, float[] b, int bOffset, int dim);

  static DistanceFunction of(ModelManifest.Metric metric) {
    throw new UnsupportedOperationException("TODO");
  }
}
