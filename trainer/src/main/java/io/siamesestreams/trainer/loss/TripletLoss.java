package io.siamesestreams.trainer.loss;

import ai.djl.ndarray.NDArray;

/**
 * Triplet loss on squared L2 distances, with online mining inside the batch:
 *
 * <pre>L = mean over mined triplets (a, p, n) of max(‖f(a) − f(p)‖² − ‖f(a) − f(n)‖² + α, 0)</pre>
 *
 * (BATCH_ALL averages over the triplets whose loss is positive.) Mining selects indices on the
 * distance matrix detached from the graph; the loss itself is differentiable.
 */
public final class TripletLoss {

  /** @param margin α &gt; 0 (default 0.2 for L2-normalised embeddings) */
  public TripletLoss(float margin, Mining mining) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * @param embeddings [B, D], attached to the gradient graph
   * @param labels length B
   * @return the scalar loss and batch statistics
   */
  public LossResult compute(NDArray embeddings, int[] labels) {
    throw new UnsupportedOperationException("TODO");
  }
}
