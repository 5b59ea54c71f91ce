package io.siamesestreams.trainer.eval;

/**
 * Post-hoc calibration of a probability: {@code p' = σ(scale · logit(p) + shift)}. Applied to the
 * head {@code p = σ(Σ w_k |a_k − b_k| + b)} it gives the same form with {@code w' = scale · w} and
 * {@code b' = scale · b + shift}.
 *
 * <p>{@link #fit} finds (scale, shift) by logistic regression of the outcomes on {@code logit(p)}
 * (Platt 1999), minimising the cross-entropy with Newton's method and a backtracking line search
 * (Lin, Lin &amp; Weng 2007). Targets are Platt's smoothed labels {@code (N₊ + 1) / (N₊ + 2)} for
 * positives and {@code 1 / (N₋ + 2)} for negatives, which keeps the fit finite on separable data.
 */
public record PlattScaling(double scale, double shift) {
  public static final PlattScaling IDENTITY = new PlattScaling(1.0, 0.0);

  /** Probabilities are clipped to [{@value #EPSILON}, 1 − {@value #EPSILON}] before the logit. */
  public static final double EPSILON = 1e-7;

  private static final int MAX_ITERATIONS = 100;
  private static final double MIN_STEP = 1e-10;
  private static final double GRADIENT_TOLERANCE = 1e-9;
  private static final double RIDGE = 1e-12;

  public PlattScaling {
    if (!Double.isFinite(scale) || !Double.isFinite(shift)) {
      throw new IllegalArgumentException("scale and shift must be finite, were " + scale + ", " + shift);
    }
  }

  /** {@code log(p / (1 − p))} of p clipped to [ε, 1 − ε]. */
  public static double logit(double p) {
    double clipped = Math.min(Math.max(p, EPSILON), 1 - EPSILON);
    return Math.log(clipped / (1 - clipped));
  }

  /** {@code 1 / (1 + e^(−z))}. */
  public static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }

  /** The calibrated probability {@code σ(scale · logit(p) + shift)}. */
  public double apply(double p) {
    return sigmoid(scale * logit(p) + shift);
  }

  /** {@link #apply(double)} of each element, into a new array. */
  public double[] apply(double[] probabilities) {
    double[] out = new double[probabilities.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = apply(probabilities[i]);
    }
    return out;
  }

  /**
   * Fits (scale, shift) to predicted probabilities and their true outcomes.
   *
   * @param probabilities uncalibrated probabilities in [0, 1] (NaN rejected)
   * @param outcomes whether each event happened (same identity)
   * @throws IllegalArgumentException on different lengths, a NaN, or when all outcomes are equal
   */
  public static PlattScaling fit(double[] probabilities, boolean[] outcomes) {
    int n = probabilities.length;
    if (n != outcomes.length) {
      throw new IllegalArgumentException(
          "probabilities and outcomes differ in length: " + n + " vs " + outcomes.length);
    }
    int positives = 0;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(probabilities[i])) {
        throw new IllegalArgumentException("probability " + i + " is NaN");
      }
      x[i] = logit(probabilities[i]);
      if (outcomes[i]) {
        positives++;
      }
    }
    int negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException(
          "Platt scaling needs both outcomes, got " + positives + " true and " + negatives + " false");
    }
    double positiveTarget = (positives + 1.0) / (positives + 2.0);
    double negativeTarget = 1.0 / (negatives + 2.0);
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = outcomes[i] ? positiveTarget : negativeTarget;
    }

    double a = 1.0;
    double c = 0.0;
    double loss = crossEntropy(x, t, a, c);
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      double ga = 0;
      double gc = 0;
      double haa = RIDGE;
      double hac = 0;
      double hcc = RIDGE;
      for (int i = 0; i < n; i++) {
        double p = sigmoid(a * x[i] + c);
        double r = p - t[i];
        double w = p * (1 - p);
        ga += r * x[i];
        gc += r;
        haa += w * x[i] * x[i];
        hac += w * x[i];
        hcc += w;
      }
      if (Math.abs(ga) < GRADIENT_TOLERANCE * n && Math.abs(gc) < GRADIENT_TOLERANCE * n) {
        break;
      }
      double det = haa * hcc - hac * hac;
      // Newton direction d = −H⁻¹ g.
      double da = -(hcc * ga - hac * gc) / det;
      double dc = -(-hac * ga + haa * gc) / det;
      double directional = ga * da + gc * dc;
      double step = 1.0;
      double newLoss;
      while (true) {
        newLoss = crossEntropy(x, t, a + step * da, c + step * dc);
        if (newLoss <= loss + 1e-4 * step * directional || step < MIN_STEP) {
          break;
        }
        step /= 2;
      }
      if (step < MIN_STEP) {
        break;
      }
      a += step * da;
      c += step * dc;
      loss = newLoss;
    }
    return new PlattScaling(a, c);
  }

  /** Σ softplus(z) − t·z, the cross-entropy of targets t under σ(z), z = a·x + c, computed stably. */
  private static double crossEntropy(double[] x, double[] t, double a, double c) {
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      double z = a * x[i] + c;
      sum += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - t[i] * z;
    }
    return sum;
  }
}
