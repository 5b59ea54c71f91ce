package io.siamesestreams.trainer.calibrate;

import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.matching.DistanceFunction;
import io.siamesestreams.trainer.eval.RocCurve;
import java.time.Instant;
import java.util.Locale;

/**
 * A threshold calibrated on labelled embeddings: every pair of embeddings, genuine (same label) or
 * impostor (different labels), their distances, the ROC over them ({@link RocCurve}, accepting
 * {@code distance <= threshold}), and the largest threshold whose false-accept rate on the impostor
 * pairs is at most the target ({@link RocCurve#thresholdAtFar}: just below the (k+1)-th smallest
 * impostor distance, k = ⌊target · impostor pairs⌋).
 *
 * @param people distinct labels
 * @param photos embeddings
 * @param genuinePairs same-label pairs
 * @param impostorPairs different-label pairs
 * @param targetFar the target false-accept rate, in (0, 1)
 * @param previousThreshold the bundle's threshold before
 * @param threshold the calibrated threshold
 * @param atPrevious FAR and FRR at {@code previousThreshold}
 * @param atThreshold FAR and FRR at {@code threshold}
 * @param auc area under the ROC
 * @param eer equal error rate
 */
public record ThresholdCalibration(
    int people,
    int photos,
    long genuinePairs,
    long impostorPairs,
    double targetFar,
    double previousThreshold,
    double threshold,
    Rates atPrevious,
    Rates atThreshold,
    double auc,
    double eer) {

  /** More pairs than this would not fit comfortably in memory (16 bytes per pair, twice). */
  public static final long MAX_PAIRS = 50_000_000L;

  /**
   * Error rates at one threshold.
   *
   * @param falseAccepts impostor pairs at distance ≤ the threshold
   * @param falseRejects genuine pairs at distance &gt; the threshold
   */
  public record Rates(long falseAccepts, long impostorPairs, long falseRejects, long genuinePairs) {
    public double far() {
      return (double) falseAccepts / impostorPairs;
    }

    public double frr() {
      return (double) falseRejects / genuinePairs;
    }
  }

  /**
   * Calibrates on {@code embeddings} with {@code labels}.
   *
   * @throws IllegalArgumentException when there is no genuine or no impostor pair, too many pairs,
   *     {@code targetFar} is outside (0, 1), or the target can only be met at a threshold ≤ 0
   */
  public static ThresholdCalibration calibrate(
      float[][] embeddings, int[] labels, DistanceFunction distance, double previousThreshold, double targetFar) {
    if (!(targetFar > 0 && targetFar < 1)) {
      throw new IllegalArgumentException("the target FAR must be in (0, 1), was " + targetFar);
    }
    int n = embeddings.length;
    long pairs = (long) n * (n - 1) / 2;
    if (pairs > MAX_PAIRS) {
      throw new IllegalArgumentException(n + " photos give " + pairs + " pairs, more than " + MAX_PAIRS
          + ": calibrate on fewer photos");
    }
    double[] distances = new double[(int) pairs];
    boolean[] genuine = new boolean[(int) pairs];
    long genuineCount = 0;
    int p = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        distances[p] = distance.between(embeddings[i], embeddings[j]);
        genuine[p] = labels[i] == labels[j];
        genuineCount += genuine[p] ? 1 : 0;
        p++;
      }
    }
    long impostorCount = pairs - genuineCount;
    if (genuineCount == 0) {
      throw new IllegalArgumentException("no genuine pairs: at least one person needs two or more usable photos");
    }
    if (impostorCount == 0) {
      throw new IllegalArgumentException("no impostor pairs: the data needs at least two people");
    }
    RocCurve roc = RocCurve.ofDistances(distances, genuine);
    double threshold = -roc.thresholdAtFar(targetFar);
    if (!(threshold > 0)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "a FAR of at most %s needs a threshold <= 0:"
          + " more than that share of the impostor pairs are at distance 0 (the same photo under two people?)", targetFar));
    }
    return new ThresholdCalibration((int) java.util.Arrays.stream(labels).distinct().count(), n, genuineCount,
        impostorCount, targetFar, previousThreshold, threshold, rates(distances, genuine, previousThreshold),
        rates(distances, genuine, threshold), roc.auc(), roc.eer());
  }

  private static Rates rates(double[] distances, boolean[] genuine, double threshold) {
    long falseAccepts = 0;
    long falseRejects = 0;
    long genuineCount = 0;
    for (int i = 0; i < distances.length; i++) {
      boolean accepted = distances[i] <= threshold;
      if (genuine[i]) {
        genuineCount++;
        falseRejects += accepted ? 0 : 1;
      } else {
        falseAccepts += accepted ? 1 : 0;
      }
    }
    return new Rates(falseAccepts, distances.length - genuineCount, falseRejects, genuineCount);
  }

  /** Impostor pairs needed to support the target FAR: 10 / FAR (about ten false accepts at the target). */
  public long impostorPairsNeeded() {
    return (long) Math.ceil(10 / targetFar);
  }

  /** Whether there are fewer impostor pairs than {@link #impostorPairsNeeded()}. */
  public boolean tooFewImpostorPairs() {
    return impostorPairs < impostorPairsNeeded();
  }

  /**
   * The manifest's decision with this threshold, the target FAR and the provenance.
   *
   * @param data the photo folder, as given
   * @param photosSkipped photos that could not be used
   */
  public ModelManifest.Decision decision(String data, int photosSkipped, Instant at) {
    String words = String.format(Locale.ROOT, "siamese calibrate on %s: %d people, %d photos, %d genuine and %d impostor"
        + " pairs, FAR %.6f and FRR %.6f at this threshold, %s", data, people, photos, genuinePairs, impostorPairs,
        atThreshold.far(), atThreshold.frr(), at);
    return new ModelManifest.Decision(threshold, targetFar, words, new ModelManifest.Calibration(data, people, photos,
        photosSkipped, genuinePairs, impostorPairs, atThreshold.far(), atThreshold.frr(), previousThreshold, at));
  }
}
