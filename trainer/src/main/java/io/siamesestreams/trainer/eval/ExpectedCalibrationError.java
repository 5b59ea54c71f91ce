package io.siamesestreams.trainer.eval;

/**
 * Expected calibration error of probabilities for a binary outcome, over equal-width bins on [0, 1]:
 *
 * <pre>ECE = Σ_b (n_b / N) · |acc_b − conf_b|</pre>
 *
 * where bin b holds the predictions with {@code b/B <= p < (b+1)/B} (the last bin also holds p = 1),
 * {@code conf_b} is their mean probability and {@code acc_b} the fraction of them whose outcome is
 * true. Empty bins contribute nothing. 0 is perfect calibration, 1 the worst.
 */
public final class ExpectedCalibrationError {

  /** Bins used for the reported {@code head_ece}. */
  public static final int DEFAULT_BINS = 15;

  private ExpectedCalibrationError() {}

  /** ECE over {@link #DEFAULT_BINS} bins. */
  public static double of(double[] probabilities, boolean[] outcomes) {
    return of(probabilities, outcomes, DEFAULT_BINS);
  }

  /**
   * @param probabilities each in [0, 1]
   * @param outcomes whether the event happened, same length
   * @param bins number of equal-width bins, ≥ 1
   * @throws IllegalArgumentException on empty input, different lengths or a probability outside [0, 1]
   */
  public static double of(double[] probabilities, boolean[] outcomes, int bins) {
    if (probabilities.length != outcomes.length) {
      throw new IllegalArgumentException(
          "probabilities and outcomes differ in length: " + probabilities.length + " vs " + outcomes.length);
    }
    if (probabilities.length == 0) {
      throw new IllegalArgumentException("no predictions");
    }
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be >= 1, was " + bins);
    }
    long[] count = new long[bins];
    double[] sumProbability = new double[bins];
    long[] hits = new long[bins];
    for (int i = 0; i < probabilities.length; i++) {
      double p = probabilities[i];
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("probability " + i + " is outside [0, 1]: " + p);
      }
      int b = Math.min((int) (p * bins), bins - 1);
      count[b]++;
      sumProbability[b] += p;
      if (outcomes[i]) {
        hits[b]++;
      }
    }
    double ece = 0;
    for (int b = 0; b < bins; b++) {
      if (count[b] > 0) {
        double confidence = sumProbability[b] / count[b];
        double accuracy = (double) hits[b] / count[b];
        ece += (double) count[b] / probabilities.length * Math.abs(accuracy - confidence);
      }
    }
    return ece;
  }
}
