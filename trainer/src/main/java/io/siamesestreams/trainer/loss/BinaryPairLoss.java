package io.siamesestreams.trainer.loss;

import ai.djl.ndarray.NDArray;

/**
 * Binary same/different loss over balanced pairs drawn from the batch:
 *
 * <pre>p = σ(Σ_k w_k |f(x_i)_k − f(x_j)_k| + b),  L = −mean[y log p + (1 − y) log(1 − p)]</pre>
 *
 * with y = 1 for pairs of the same label. Pairs: every same-label pair of the batch and as many
 * different-label pairs, drawn with the given seed sequence.
 */
public final class BinaryPairLoss {

  public BinaryPairLoss(long seed) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * @param embeddings [B, D]
   * @param labels length B
   * @param weight w, shape [D] (or [1, D])
   * @param bias b, shape [1]
   */
  public LossResult compute(NDArray embeddings, int[] labels, NDArray weight, NDArray bias) {
    throw new UnsupportedOperationException("TODO");
  }
}
