package io.siamesestreams.trainer.data;

import java.util.Random;

/**
 * P×K batches for triplet mining: P distinct labels, K images each (without replacement inside a
 * label while it has ≥ K images). Batch layout: images of one label are contiguous.
 */
public final class PkBatchSampler {

  /**
   * @throws IllegalArgumentException when fewer than P labels have at least 2 images
   */
  public PkBatchSampler(LabeledImages images, int p, int k, Random random) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Indices into the images, length P×K. */
  public int[] next() {
    throw new UnsupportedOperationException("TODO");
  }
}
