package io.siamesestreams.trainer.export;

import io.siamesestreams.trainer.eval.PlattScaling;

/**
 * The head {@code p = σ(Σ_k w_k |a_k − b_k| + b)}.
 *
 * @param weight w, length D
 * @param bias b
 */
public record HeadWeights(float[] weight, float bias) {

  /**
   * The head with Platt scaling folded in: {@code w' = scale · w}, {@code b' = scale · b + shift}, so
   * {@code σ(w'·|a − b| + b') = σ(scale · logit(p) + shift)}.
   */
  public HeadWeights calibrated(PlattScaling platt) {
    float[] w = new float[weight.length];
    for (int k = 0; k < w.length; k++) {
      w[k] = (float) (platt.scale() * weight[k]);
    }
    return new HeadWeights(w, (float) (platt.scale() * bias + platt.shift()));
  }
}
