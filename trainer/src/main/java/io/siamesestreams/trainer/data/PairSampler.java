package io.siamesestreams.trainer.data;

/**
 * Seeded, balanced same/different pair sets: half the pairs share a label, half do not; the two
 * images of a pair are always distinct images. The same seed and data give the same pairs.
 */
public final class PairSampler {
  private PairSampler() {}

  /**
   * @param pairs total pairs (even; half same, half different)
   * @throws IllegalArgumentException when no label has two images or fewer than two labels exist
   */
  public static PairSet balanced(LabeledImages images, int pairs, long seed) {
    throw new UnsupportedOperationException("TODO");
  }
}
