package io.siamesestreams.trainer.data;

import java.util.Arrays;
import java.util.Random;

/**
 * P×K batches for triplet mining: P distinct labels, K images each (without replacement inside a
 * label while it has ≥ K images). Batch layout: images of one label are contiguous.
 *
 * <p>Each batch draws P distinct labels uniformly among those with at least two images. A label with
 * n ≥ K images gives K distinct images; one with 2 ≤ n &lt; K gives all its n images, then K − n more
 * drawn with replacement. Label blocks appear in the order drawn. Not thread-safe (shares the Random).
 */
public final class PkBatchSampler {
  private final int p;
  private final int k;
  private final Random random;
  /** Eligible labels' image indices; shuffled in place batch after batch. */
  private final int[][] members;

  /**
   * @throws IllegalArgumentException when fewer than P labels have at least 2 images
   */
  public PkBatchSampler(LabeledImages images, int p, int k, Random random) {
    if (p < 1 || k < 2) {
      throw new IllegalArgumentException("need P ≥ 1 and K ≥ 2, got P=" + p + ", K=" + k);
    }
    this.p = p;
    this.k = k;
    this.random = random;
    this.members =
        Arrays.stream(images.indicesByLabel()).filter(m -> m.length >= 2).toArray(int[][]::new);
    if (members.length < p) {
      throw new IllegalArgumentException(
          "P=" + p + " labels per batch, but only " + members.length + " labels have at least 2 images");
    }
  }

  /** Labels per batch. */
  public int p() {
    return p;
  }

  /** Images per label. */
  public int k() {
    return k;
  }

  /** Batch size P×K. */
  public int batchSize() {
    return p * k;
  }

  /** Indices into the images, length P×K. */
  public int[] next() {
    int[] order = new int[members.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Shuffle.partial(order, p, random);
    int[] batch = new int[p * k];
    for (int slot = 0; slot < p; slot++) {
      int[] images = members[order[slot]];
      int distinct = Math.min(k, images.length);
      Shuffle.partial(images, distinct, random);
      System.arraycopy(images, 0, batch, slot * k, distinct);
      for (int j = distinct; j < k; j++) {
        batch[slot * k + j] = images[random.nextInt(images.length)];
      }
    }
    return batch;
  }
}
