package io.siamesestreams.trainer.export;

/**
 * A head that is a logistic function of the squared L2 distance d between two embeddings:
 * {@code p = σ(scale · d + shift)}, fitted (Platt scaling) on validation pairs.
 *
 * @param dimension embedding size D of the inputs
 * @param scale multiplies d; negative for a head whose p falls as d grows
 * @param shift the logit at d = 0
 */
public record DistanceHead(int dimension, double scale, double shift) {
  public DistanceHead {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, was " + dimension);
    }
    if (!Double.isFinite(scale) || !Double.isFinite(shift)) {
      throw new IllegalArgumentException("scale and shift must be finite, were " + scale + ", " + shift);
    }
  }

  /** p for a squared distance d. */
  public double probability(double squaredDistance) {
    return 1 / (1 + Math.exp(-(scale * squaredDistance + shift)));
  }
}
