package io.siamesestreams.trainer.eval;

/**
 * Post-hoc calibration of a probability: {@code p' = σ(scale · logit(p) + shift)}. Applied to the
 * head {@code p = σ(Σ w_k |a_k − b_k| + b)} it gives the same form with {@code w' = scale · w} and
 * {@code b' = scale · b + shift}.
 */
public record PlattScaling(double scale, double shift) {
  public static final PlattScaling IDENTITY = new PlattScaling(1.0, 0.0);
}
