package io.siamesestreams.identity;


/**
 * The inner loops of exact search: dot products of queries with gallery rows. Uses the JDK
 * Vector API ({@code jdk.incubator.vector}) when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the {@code siamese} script, the Dockerfile and the
 * tests do), and plain Java with independent accumulators otherwise; results agree to float
 * rounding, which is all the callers need (they re-score their best candidates exactly).
 */
final class SearchKernels {

  /** Whether the Vector API kernels are in use. */
  static final boolean VECTORIZED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
      && !Boolean.getBoolean("siamese.search.scalar");

  private SearchKernels() {}

  /** {@code Σ a_k b_k} over {@code dim} components. */
  static float dot(float[] a, int aOffset, float[] b, int bOffset, int dim) {
    return VECTORIZED ? VectorSearchKernels.dot(a, aOffset, b, bOffset, dim)
        : scalarDot(a, aOffset, b, bOffset, dim);
  }

  /**
   * Scores rows {@code [from, to)} of {@code values} against every query: {@code scores[q × (to −
   * from) + (row − from)] = squaredNorms[row] − 2 q·row} (squared L2 less the query's own norm).
   * Each row is read once for all queries, while it is in cache.
   */
  static void scoreBlock(float[] queries, int[] offsets, float[] values, float[] squaredNorms, int from, int to,
      int dim, float[] scores) {
    if (VECTORIZED) {
      VectorSearchKernels.scoreBlock(queries, offsets, values, squaredNorms, from, to, dim, scores);
      return;
    }
    int width = to - from;
    int queryCount = offsets.length;
    for (int row = from; row < to; row++) {
      int base = row * dim;
      float norm = squaredNorms[row];
      int q = 0;
      for (; q + 3 < queryCount; q += 4) {
        int o0 = offsets[q];
        int o1 = offsets[q + 1];
        int o2 = offsets[q + 2];
        int o3 = offsets[q + 3];
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        for (int k = 0; k < dim; k++) {
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
        scores[q * width + row - from] = norm - 2 * scalarDot(queries, offsets[q], values, base, dim);
      }
    }
  }

  /** {@code Σ a_k b_k} in float with four independent accumulators (instruction-level parallelism). */
  static float scalarDot(float[] a, int aOffset, float[] b, int bOffset, int dim) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int k = 0;
    for (; k + 3 < dim; k += 4) {
      s0 += a[aOffset + k] * b[bOffset + k];
      s1 += a[aOffset + k + 1] * b[bOffset + k + 1];
      s2 += a[aOffset + k + 2] * b[bOffset + k + 2];
      s3 += a[aOffset + k + 3] * b[bOffset + k + 3];
    }
    for (; k < dim; k++) {
      s0 += a[aOffset + k] * b[bOffset + k];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
