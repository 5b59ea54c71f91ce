package io.siamesestreams.trainer.loss;

/**
 * Mined triplets as parallel index arrays into a batch: triplet t is
 * ({@code anchors[t]}, {@code positives[t]}, {@code negatives[t]}).
 */
public record Triplets(int[] anchors, int[] positives, int[] negatives) {
  public Triplets {
    if (anchors.length != positives.length || anchors.length != negatives.length) {
      throw new IllegalArgumentException("anchor, positive and negative arrays differ in length");
    }
  }

  public int size() {
    return anchors.length;
  }
}
