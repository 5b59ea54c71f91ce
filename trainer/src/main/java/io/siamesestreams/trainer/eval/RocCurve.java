package io.siamesestreams.trainer.eval;

import java.util.Arrays;
import java.util.Objects;

/**
 * The receiver operating characteristic of a verification score: for every threshold s, a pair is
 * accepted when {@code score >= s}. A higher score means "more likely the same identity"; for
 * distances (smaller = more similar) pass {@code −distance}, see {@link #ofDistances}.
 *
 * <p>Rates: FAR (false-accept rate, FPR) = accepted negatives / negatives; TAR (true-accept rate, TPR)
 * = accepted positives / positives; FRR = 1 − TAR.
 *
 * <p>The curve has one point per distinct score (thresholds descending), preceded by (0, 0) for the
 * threshold +∞; tied scores form a single point, so a tie between a positive and a negative becomes a
 * diagonal segment. The area under that polyline (trapezoids) equals the Mann–Whitney statistic
 * {@code P(score⁺ > score⁻) + ½ P(score⁺ = score⁻)}.
 */
public final class RocCurve {

  private final double[] thresholds;
  private final double[] far;
  private final double[] tar;
  /** Negatives and positives accepted at each point, for exact integer sums. */
  private final int[] acceptedNegatives;
  private final int[] acceptedPositives;
  private final double[] negativeScoresDescending;
  private final double[] positiveScoresDescending;

  private RocCurve(double[] scores, boolean[] positive) {
    int n = scores.length;
    int positives = 0;
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(scores[i])) {
        throw new IllegalArgumentException("score " + i + " is NaN");
      }
      if (positive[i]) {
        positives++;
      }
    }
    int negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException(
          "a ROC curve needs positives and negatives, got " + positives + " and " + negatives);
    }
    double[] pos = new double[positives];
    double[] neg = new double[negatives];
    for (int i = 0, p = 0, q = 0; i < n; i++) {
      if (positive[i]) {
        pos[p++] = scores[i];
      } else {
        neg[q++] = scores[i];
      }
    }
    this.positiveScoresDescending = descending(pos);
    this.negativeScoresDescending = descending(neg);

    // Sweep the merged descending scores; one point per distinct value.
    double[] t = new double[n + 1];
    double[] fa = new double[n + 1];
    double[] ta = new double[n + 1];
    int[] an = new int[n + 1];
    int[] ap = new int[n + 1];
    t[0] = Double.POSITIVE_INFINITY;
    int points = 1;
    int p = 0;
    int q = 0;
    while (p < positives || q < negatives) {
      double next =
          Math.max(
              p < positives ? positiveScoresDescending[p] : Double.NEGATIVE_INFINITY,
              q < negatives ? negativeScoresDescending[q] : Double.NEGATIVE_INFINITY);
      while (p < positives && positiveScoresDescending[p] == next) {
        p++;
      }
      while (q < negatives && negativeScoresDescending[q] == next) {
        q++;
      }
      t[points] = next;
      fa[points] = (double) q / negatives;
      ta[points] = (double) p / positives;
      an[points] = q;
      ap[points] = p;
      points++;
    }
    this.thresholds = Arrays.copyOf(t, points);
    this.far = Arrays.copyOf(fa, points);
    this.tar = Arrays.copyOf(ta, points);
    this.acceptedNegatives = Arrays.copyOf(an, points);
    this.acceptedPositives = Arrays.copyOf(ap, points);
  }

  /**
   * @param scores higher = more likely the same identity; no NaN
   * @param positive {@code positive[i]} tells whether pair i is a same-identity pair
   * @throws IllegalArgumentException on different lengths, a NaN score, or no positives / no negatives
   */
  public static RocCurve of(double[] scores, boolean[] positive) {
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(positive, "positive");
    if (scores.length != positive.length) {
      throw new IllegalArgumentException(
          "scores and labels differ in length: " + scores.length + " vs " + positive.length);
    }
    return new RocCurve(scores, positive);
  }

  /** The curve of distances (smaller = more similar): scores are {@code −distance}. */
  public static RocCurve ofDistances(double[] distances, boolean[] same) {
    double[] scores = new double[distances.length];
    for (int i = 0; i < distances.length; i++) {
      scores[i] = -distances[i];
    }
    return of(scores, same);
  }

  /** Number of positive (same-identity) pairs. */
  public int positives() {
    return positiveScoresDescending.length;
  }

  /** Number of negative (different-identity) pairs. */
  public int negatives() {
    return negativeScoresDescending.length;
  }

  /** FAR of each point, ascending from 0 to 1. A copy. */
  public double[] falseAcceptRates() {
    return far.clone();
  }

  /** TAR of each point, ascending from 0 to 1. A copy. */
  public double[] trueAcceptRates() {
    return tar.clone();
  }

  /** Score threshold of each point (accept {@code score >= threshold}); the first is +∞. A copy. */
  public double[] thresholds() {
    return thresholds.clone();
  }

  /**
   * Area under the curve by trapezoids over all points; equals the Mann–Whitney AUC with ties counted ½.
   * Summed in integer pair counts, so the only rounding is the final division.
   */
  public double auc() {
    long twiceOrderedPairs = 0;
    for (int i = 1; i < acceptedNegatives.length; i++) {
      long newNegatives = acceptedNegatives[i] - acceptedNegatives[i - 1];
      twiceOrderedPairs += newNegatives * (acceptedPositives[i] + acceptedPositives[i - 1]);
    }
    return twiceOrderedPairs / (2.0 * positives() * negatives());
  }

  /**
   * Equal error rate: the rate where FAR = FRR on the ROC polyline, linearly interpolated between the
   * two points where {@code FAR − FRR} changes sign.
   */
  public double eer() {
    // g = FAR − FRR = far + tar − 1 rises from −1 at (0,0) to +1 at (1,1).
    for (int i = 1; i < far.length; i++) {
      double g0 = far[i - 1] + tar[i - 1] - 1;
      double g1 = far[i] + tar[i] - 1;
      if (g1 >= 0) {
        double alpha = g1 == g0 ? 0 : -g0 / (g1 - g0);
        return far[i - 1] + alpha * (far[i] - far[i - 1]);
      }
    }
    throw new AssertionError("the last point is (1, 1)");
  }

  /**
   * The largest score threshold s whose FAR ({@code score >= s} among negatives) is at most
   * {@code targetFar}.
   *
   * <p>With negatives sorted by score descending and k the largest count with {@code k / negatives <=
   * targetFar}, any s above the (k+1)-th negative score qualifies, so the answer is the next double
   * above it ({@link Math#nextUp}). Tie handling: negatives tied with the (k+1)-th are all rejected,
   * so the FAR never exceeds the target even when ties straddle the boundary (it may then be lower).
   *
   * @param targetFar in (0, 1)
   */
  public double thresholdAtFar(double targetFar) {
    if (!(targetFar > 0 && targetFar < 1)) {
      throw new IllegalArgumentException("targetFar must be in (0, 1), was " + targetFar);
    }
    int m = negatives();
    int k = (int) Math.floor(targetFar * m);
    // Compare as the FAR itself is computed (k / m), which floor(target · m) can miss by one ulp.
    while (k + 1 <= m && (double) (k + 1) / m <= targetFar) {
      k++;
    }
    while (k > 0 && (double) k / m > targetFar) {
      k--;
    }
    return Math.nextUp(negativeScoresDescending[k]);
  }

  /** TAR at the threshold {@link #thresholdAtFar(double)}: the highest TAR among points with FAR ≤ target. */
  public double tarAtFar(double targetFar) {
    return tarAt(thresholdAtFar(targetFar));
  }

  /** Fraction of positives with {@code score >= threshold}. */
  public double tarAt(double threshold) {
    return (double) countAtLeast(positiveScoresDescending, threshold) / positives();
  }

  /** Fraction of negatives with {@code score >= threshold}. */
  public double farAt(double threshold) {
    return (double) countAtLeast(negativeScoresDescending, threshold) / negatives();
  }

  /** Fraction of all pairs decided correctly when accepting {@code score >= threshold}. */
  public double accuracyAt(double threshold) {
    int truePositives = countAtLeast(positiveScoresDescending, threshold);
    int trueNegatives = negatives() - countAtLeast(negativeScoresDescending, threshold);
    return (double) (truePositives + trueNegatives) / (positives() + negatives());
  }

  private static int countAtLeast(double[] descending, double threshold) {
    // Binary search for the first index whose value is below the threshold.
    int lo = 0;
    int hi = descending.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (descending[mid] >= threshold) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static double[] descending(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    for (int i = 0, j = sorted.length - 1; i < j; i++, j--) {
      double tmp = sorted[i];
      sorted[i] = sorted[j];
      sorted[j] = tmp;
    }
    return sorted;
  }
}
