package io.siamesestreams.trainer.loss;

import ai.djl.ndarray.NDArray;

/**
 * Weighted sum of the two training objectives on one batch of embeddings:
 *
 * <pre>L = tripletWeight · L_triplet + binaryWeight · L_binary</pre>
 *
 * A part whose loss object is null or whose weight is 0 is skipped (not computed). At least one part
 * must be active.
 *
 * @param triplet the triplet loss, or null
 * @param tripletWeight weight ≥ 0 of the triplet loss
 * @param binary the binary same/different loss, or null
 * @param binaryWeight weight ≥ 0 of the binary loss
 */
public record CombinedLoss(TripletLoss triplet, float tripletWeight, BinaryPairLoss binary, float binaryWeight) {

  public CombinedLoss {
    if (!(tripletWeight >= 0) || !(binaryWeight >= 0)) {
      throw new IllegalArgumentException("weights must be ≥ 0: " + tripletWeight + ", " + binaryWeight);
    }
    if (!(triplet != null && tripletWeight > 0) && !(binary != null && binaryWeight > 0)) {
      throw new IllegalArgumentException("at least one of the triplet and binary losses must have a positive weight");
    }
  }

  /**
   * @param loss the weighted sum, scalar, attached to the graph
   * @param value the weighted sum as a float
   * @param triplet the triplet part before weighting, or null when skipped
   * @param binary the binary part before weighting, or null when skipped
   */
  public record Result(NDArray loss, float value, LossResult triplet, LossResult binary) {}

  /** Whether the triplet part is computed. */
  public boolean usesTriplet() {
    return triplet != null && tripletWeight > 0;
  }

  /** Whether the binary part is computed (and therefore needs the head's weight and bias). */
  public boolean usesBinary() {
    return binary != null && binaryWeight > 0;
  }

  /**
   * @param embeddings [B, D], attached to the gradient graph
   * @param labels length B
   * @param weight the head's w, [D] or [1, D]; may be null when the binary part is skipped
   * @param bias the head's b, [1]; may be null when the binary part is skipped
   */
  public Result compute(NDArray embeddings, int[] labels, NDArray weight, NDArray bias) {
    LossResult tripletPart = usesTriplet() ? triplet.compute(embeddings, labels) : null;
    LossResult binaryPart = usesBinary() ? binary.compute(embeddings, labels, weight, bias) : null;
    NDArray total = null;
    if (tripletPart != null) {
      total = tripletPart.loss().mul(tripletWeight);
    }
    if (binaryPart != null) {
      NDArray weighted = binaryPart.loss().mul(binaryWeight);
      total = total == null ? weighted : total.add(weighted);
    }
    return new Result(total, total.getFloat(), tripletPart, binaryPart);
  }
}
