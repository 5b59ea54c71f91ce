package io.siamesestreams.identity;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SearchKernels} with the JDK Vector API. Loaded only when {@code jdk.incubator.vector} is
 * in the boot layer ({@link SearchKernels#VECTORIZED}).
 */
final class VectorSearchKernels {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  private VectorSearchKernels() {}

  static float dot(float[] a, int aOffset, float[] b, int bOffset, int dim) {
    FloatVector acc = FloatVector.zero(SPECIES);
    int k = 0;
    for (int bound = SPECIES.loopBound(dim); k < bound; k += LANES) {
      acc = FloatVector.fromArray(SPECIES, a, aOffset + k).fma(FloatVector.fromArray(SPECIES, b, bOffset + k), acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; k < dim; k++) {
      sum += a[aOffset + k] * b[bOffset + k];
    }
    return sum;
  }

  static void scoreBlock(float[] queries, int[] offsets, float[] values, float[] squaredNorms, int from, int to,
      int dim, float[] scores) {
    int width = to - from;
    int queryCount = offsets.length;
    int bound = SPECIES.loopBound(dim);
    for (int row = from; row < to; row++) {
      int base = row * dim;
      float norm = squaredNorms[row];
      int q = 0;
      for (; q + 3 < queryCount; q += 4) {
        int o0 = offsets[q];
        int o1 = offsets[q + 1];
        int o2 = offsets[q + 2];
        int o3 = offsets[q + 3];
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = FloatVector.zero(SPECIES);
        FloatVector a2 = FloatVector.zero(SPECIES);
        FloatVector a3 = FloatVector.zero(SPECIES);
        int k = 0;
        for (; k < bound; k += LANES) {
          FloatVector g = FloatVector.fromArray(SPECIES, values, base + k);
          a0 = FloatVector.fromArray(SPECIES, queries, o0 + k).fma(g, a0);
          a1 = FloatVector.fromArray(SPECIES, queries, o1 + k).fma(g, a1);
          a2 = FloatVector.fromArray(SPECIES, queries, o2 + k).fma(g, a2);
          a3 = FloatVector.fromArray(SPECIES, queries, o3 + k).fma(g, a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD);
        float s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD);
        float s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; k < dim; k++) {
          float g = values[base + k];
          s0 += queries[o0 + k] * g;
          s1 += queries[o1 + k] * g;
          s2 += queries[o2 + k] * g;
          s3 += queries[o3 + k] * g;
        }
        scores[q * width + row - from] = norm - 2 * s0;
        scores[(q + 1) * width + row - from] = norm - 2 * s1;
        scores[(q + 2) * width + row - from] = norm - 2 * s2;
        scores[(q + 3) * width + row - from] = norm - 2 * s3;
      }
      for (; q < queryCount; q++) {
        scores[q * width + row - from] = norm - 2 * dot(queries, offsets[q], values, base, dim);
      }
    }
  }
}
