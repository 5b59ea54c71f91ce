package io.siamesestreams.trainer.loss;

import ai.djl.ndarray.NDArray;

/**
 * CosFace (large-margin cosine) loss over the training classes (Wang et al. 2018): with unit
 * embeddings {@code e_i} and class weights {@code W_c} normalised to unit length,
 *
 * <pre>z_ic = s · (cos θ_ic − m · [c = y_i]),  cos θ_ic = e_i · W_c / ‖W_c‖,  L = mean_i (logsumexp_c z_ic − z_iy_i)</pre>
 *
 * {@link LossResult#activeFraction()} is the share of images whose nearest class weight (largest
 * cosine) is not their own class.
 *
 * @param scale s &gt; 0
 * @param margin m ≥ 0
 */
public record CosFaceLoss(float scale, float margin) {

  public CosFaceLoss {
    if (!(scale > 0) || !(margin >= 0)) {
      throw new IllegalArgumentException("scale must be > 0 and margin >= 0, were " + scale + ", " + margin);
    }
  }

  /**
   * @param embeddings [B, D], unit rows, attached to the gradient graph
   * @param classWeights [C, D], attached (not necessarily normalised)
   * @param labels length B, each in [0, C)
   */
  public LossResult compute(NDArray embeddings, NDArray classWeights, int[] labels) {
    int b = labels.length;
    int c = (int) classWeights.getShape().get(0);
    float[] oneHot = new float[b * c];
    for (int i = 0; i < b; i++) {
      if (labels[i] < 0 || labels[i] >= c) {
        throw new IllegalArgumentException("label " + labels[i] + " outside [0, " + c + ")");
      }
      oneHot[i * c + labels[i]] = 1f;
    }
    NDArray target = embeddings.getManager().create(oneHot, new ai.djl.ndarray.types.Shape(b, c));
    NDArray cosine = embeddings.matMul(classWeights.normalize(2, 1, 1e-12).transpose());
    NDArray logits = cosine.sub(target.mul(margin)).mul(scale);
    NDArray loss = logits.logSoftmax(1).mul(target).sum(new int[] {1}).neg().mean();
    long[] predicted = cosine.stopGradient().argMax(1).toLongArray();
    int wrong = 0;
    for (int i = 0; i < b; i++) {
      if (predicted[i] != labels[i]) {
        wrong++;
      }
    }
    return new LossResult(loss, loss.getFloat(), (float) wrong / b);
  }
}
