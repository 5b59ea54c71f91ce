package io.siamesestreams.trainer;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a training run produced.
 *
 * @param config the configuration that ran
 * @param losses total loss at every step (index = step − 1)
 * @param activeFractions fraction of mined triplets (or pairs under {@code binary}) with a non-zero loss, per step
 * @param validationAuc AUC of the distance on seeded validation pairs, measured in DJL on the shipped weights
 * @param shippedStep the step whose weights were exported (the last one unless {@link TrainingConfig#keepBest()} chose an earlier check)
 * @param imagesPerSecond training throughput (images through the encoder per second of training)
 * @param trainingSeconds wall time of the optimisation loop
 * @param totalSeconds wall time of the whole run, data loading to evaluation
 * @param bundleDirectory where the bundle was written
 * @param evaluation the test figures from {@code eval.json} (auc, eer, tar_at_far_…, heldout_auc, head_ece, …)
 * @param threshold the calibrated decision threshold (squared L2)
 */
public record TrainingResult(
    TrainingConfig config,
    float[] losses,
    float[] activeFractions,
    double validationAuc,
    int shippedStep,
    double imagesPerSecond,
    double trainingSeconds,
    double totalSeconds,
    Path bundleDirectory,
    Map<String, Double> evaluation,
    double threshold) {

  /** Mean loss over steps {@code [from, to)} (0-based). */
  public double meanLoss(int from, int to) {
    if (from < 0 || to > losses.length || from >= to) {
      throw new IllegalArgumentException("bad step window [" + from + ", " + to + ") of " + losses.length);
    }
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += losses[i];
    }
    return sum / (to - from);
  }
}
