package io.siamesestreams.trainer;

import java.util.Arrays;
import java.util.Comparator;

/** Area under the ROC curve by the rank-sum (Mann–Whitney) formula, ties counted one half. */
final class RankAuc {
  private RankAuc() {}

  /**
   * @param distances one distance per pair; smaller means "more likely the same"
   * @param same whether each pair shares a label
   * @return P(distance of a same pair < distance of a different pair) + ½ P(equal); NaN without both kinds
   */
  static double ofDistances(double[] distances, boolean[] same) {
    int n = distances.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    // Descending distance: different pairs should rank high.
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> distances[i]).reversed());
    double rankSumDifferent = 0;
    long different = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && distances[order[j + 1]] == distances[order[i]]) {
        j++;
      }
      double averageRank = n - (i + j) / 2.0; // rank n for the largest distance
      for (int k = i; k <= j; k++) {
        if (!same[order[k]]) {
          rankSumDifferent += averageRank;
          different++;
        }
      }
      i = j + 1;
    }
    long positives = n - different;
    if (different == 0 || positives == 0) {
      return Double.NaN;
    }
    return (rankSumDifferent - different * (different + 1) / 2.0) / ((double) different * positives);
  }
}
