package io.siamesestreams.matching;

import io.siamesestreams.bundle.ModelBundle;

/**
 * Scores pairs of embeddings exactly as the manifest defines: distance by its metric, decision by
 * {@code distance <= threshold}, probability from {@code head.onnx} ({@code p = σ(Σ_k w_k |a_k − b_k| + b)}).
 * Owns the head's ONNX Runtime session, if any.
 */
public final class PairScorer implements AutoCloseable {

  public static PairScorer open(ModelBundle bundle) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Scores one pair of D-dimensional embeddings. */
  public PairScore score(float[] a, float[] b) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Distances of {@code n} pairs; {@code left} and {@code right} are n × D row-major. */
  public double[] distances(float[] left, float[] right, int n) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Head probabilities of {@code n} pairs, batched through ONNX Runtime; NaNs when there is no head. */
  public double[] probabilities(float[] left, float[] right, int n) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The decision threshold from the manifest. */
  public double threshold() {
    throw new UnsupportedOperationException("TODO");
  }

  public boolean hasHead() {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public void close() {
    throw new UnsupportedOperationException("TODO");
  }
}
