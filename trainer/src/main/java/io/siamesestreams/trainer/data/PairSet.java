package io.siamesestreams.trainer.data;

/**
 * Index pairs into one {@link LabeledImages}; {@code same[i]} tells whether the two images of pair i
 * share a label.
 */
public record PairSet(int[] left, int[] right, boolean[] same) {
  public int size() {
    return left.length;
  }
}
