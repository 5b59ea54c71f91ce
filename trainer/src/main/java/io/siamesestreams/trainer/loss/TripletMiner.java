package io.siamesestreams.trainer.loss;

import java.util.Arrays;

/**
 * Online triplet selection on a batch's pairwise distance matrix, in plain Java (no DJL).
 *
 * <p>Positives of an anchor a: the other images of its label (p ≠ a). Negatives: images of another
 * label. Anchors without a positive or without a negative yield no triplet. Ties are broken towards
 * the lower index. With d the given (squared) distances:
 *
 * <ul>
 *   <li>{@link Mining#SEMI_HARD} (FaceNet): one triplet per anchor-positive pair (a, p); n is the
 *       closest negative with d(a, n) &gt; d(a, p); if there is none, the farthest negative.
 *   <li>{@link Mining#BATCH_HARD}: one triplet per anchor; p maximises d(a, p), n minimises d(a, n).
 *   <li>{@link Mining#BATCH_ALL}: every (a, p, n).
 * </ul>
 *
 * Triplets come in order of anchor, then positive, then negative index.
 */
public final class TripletMiner {
  private TripletMiner() {}

  /**
   * @param squaredDistances B×B distances, row-major: {@code d(i, j) = squaredDistances[i·B + j]}
   * @param labels length B
   */
  public static Triplets select(float[] squaredDistances, int[] labels, Mining mining) {
    int b = labels.length;
    if (squaredDistances.length != b * b) {
      throw new IllegalArgumentException(
          "distance matrix of " + squaredDistances.length + " values for " + b + " labels; expected " + (b * b));
    }
    Builder out = new Builder(b);
    for (int a = 0; a < b; a++) {
      int row = a * b;
      switch (mining) {
        case SEMI_HARD -> {
          for (int p = 0; p < b; p++) {
            if (p == a || labels[p] != labels[a]) {
              continue;
            }
            float dap = squaredDistances[row + p];
            int closestFarther = -1;
            int farthest = -1;
            for (int n = 0; n < b; n++) {
              if (labels[n] == labels[a]) {
                continue;
              }
              float dan = squaredDistances[row + n];
              if (dan > dap && (closestFarther < 0 || dan < squaredDistances[row + closestFarther])) {
                closestFarther = n;
              }
              if (farthest < 0 || dan > squaredDistances[row + farthest]) {
                farthest = n;
              }
            }
            if (farthest >= 0) {
              out.add(a, p, closestFarther >= 0 ? closestFarther : farthest);
            }
          }
        }
        case BATCH_HARD -> {
          int hardestPositive = -1;
          int hardestNegative = -1;
          for (int j = 0; j < b; j++) {
            if (j == a) {
              continue;
            }
            float d = squaredDistances[row + j];
            if (labels[j] == labels[a]) {
              if (hardestPositive < 0 || d > squaredDistances[row + hardestPositive]) {
                hardestPositive = j;
              }
            } else if (hardestNegative < 0 || d < squaredDistances[row + hardestNegative]) {
              hardestNegative = j;
            }
          }
          if (hardestPositive >= 0 && hardestNegative >= 0) {
            out.add(a, hardestPositive, hardestNegative);
          }
        }
        case BATCH_ALL -> {
          for (int p = 0; p < b; p++) {
            if (p == a || labels[p] != labels[a]) {
              continue;
            }
            for (int n = 0; n < b; n++) {
              if (labels[n] != labels[a]) {
                out.add(a, p, n);
              }
            }
          }
        }
        default -> throw new IllegalArgumentException("unknown mining " + mining);
      }
    }
    return out.build();
  }

  private static final class Builder {
    private int[] anchors;
    private int[] positives;
    private int[] negatives;
    private int size;

    Builder(int capacity) {
      anchors = new int[Math.max(capacity, 16)];
      positives = new int[anchors.length];
      negatives = new int[anchors.length];
    }

    void add(int a, int p, int n) {
      if (size == anchors.length) {
        int grown = anchors.length * 2;
        anchors = Arrays.copyOf(anchors, grown);
        positives = Arrays.copyOf(positives, grown);
        negatives = Arrays.copyOf(negatives, grown);
      }
      anchors[size] = a;
      positives[size] = p;
      negatives[size] = n;
      size++;
    }

    Triplets build() {
      return new Triplets(
          Arrays.copyOf(anchors, size), Arrays.copyOf(positives, size), Arrays.copyOf(negatives, size));
    }
  }
}
