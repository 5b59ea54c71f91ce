package io.siamesestreams.trainer.data;

import java.util.Random;

/**
 * Seeded, balanced same/different pair sets: half the pairs share a label, half do not; the two
 * images of a pair are always distinct images. The same seed and data give the same pairs.
 *
 * <p>Pairs alternate: even positions are same-label pairs, odd positions different-label pairs, so any
 * even-length prefix is balanced too. Same-label pair: a first image drawn uniformly among the images
 * whose label has at least two images, and a second one drawn uniformly among the other images of that
 * label. Different-label pair: a first image drawn uniformly among all images, a second one uniformly
 * among the images of other labels. Pairs are drawn with replacement (a pair may repeat).
 */
public final class PairSampler {
  private PairSampler() {}

  /**
   * @param pairs total pairs (even; half same, half different)
   * @throws IllegalArgumentException when no label has two images or fewer than two labels exist
   */
  public static PairSet balanced(LabeledImages images, int pairs, long seed) {
    if (pairs <= 0 || pairs % 2 != 0) {
      throw new IllegalArgumentException("pairs must be a positive even number, got " + pairs);
    }
    int[][] byLabel = images.indicesByLabel();
    // All images grouped contiguously by label, with each label's start, for exact uniform draws.
    int n = images.size();
    int[] grouped = new int[n];
    int[] start = new int[byLabel.length];
    int[] sameEligible = new int[n];
    int nSameEligible = 0;
    int presentLabels = 0;
    int position = 0;
    for (int label = 0; label < byLabel.length; label++) {
      start[label] = position;
      System.arraycopy(byLabel[label], 0, grouped, position, byLabel[label].length);
      position += byLabel[label].length;
      if (byLabel[label].length > 0) {
        presentLabels++;
      }
      if (byLabel[label].length >= 2) {
        System.arraycopy(byLabel[label], 0, sameEligible, nSameEligible, byLabel[label].length);
        nSameEligible += byLabel[label].length;
      }
    }
    if (nSameEligible == 0) {
      throw new IllegalArgumentException("no label has two images: cannot draw same-label pairs");
    }
    if (presentLabels < 2) {
      throw new IllegalArgumentException("fewer than two labels: cannot draw different-label pairs");
    }

    Random random = new Random(seed);
    int[] left = new int[pairs];
    int[] right = new int[pairs];
    boolean[] same = new boolean[pairs];
    for (int k = 0; k < pairs; k += 2) {
      int a = sameEligible[random.nextInt(nSameEligible)];
      int[] members = byLabel[images.label(a)];
      int b = members[random.nextInt(members.length - 1)];
      if (b == a) {
        b = members[members.length - 1]; // the one member the draw above excluded
      }
      left[k] = a;
      right[k] = b;
      same[k] = true;

      int c = random.nextInt(n);
      int label = images.label(c);
      int r = random.nextInt(n - byLabel[label].length);
      int d = r < start[label] ? grouped[r] : grouped[r + byLabel[label].length];
      left[k + 1] = c;
      right[k + 1] = d;
      same[k + 1] = false;
    }
    return new PairSet(left, right, same);
  }
}
