package io.siamesestreams.trainer.eval;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.embedding.Encoder;
import io.siamesestreams.trainer.data.LabeledImages;
import java.util.Set;

/**
 * Evaluates a model bundle the way the service runs it: images go through the core preprocessing
 * path and {@code encoder.onnx} / {@code head.onnx} in ONNX Runtime, never through DJL.
 */
public final class Evaluator {
  /** Default number of pairs per pair set (half same, half different). */
  public static final int DEFAULT_PAIRS = 20_000;

  private Evaluator() {}

  /** Embeds every image of {@code images} in batches of {@code batchSize}; returns size × D floats, row-major. */
  public static float[] embedAll(Encoder encoder, LabeledImages images, int batchSize) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * The decision threshold at a target false-accept rate, from seeded balanced pairs of {@code validation}:
   * the largest distance threshold t such that the fraction of different-identity pairs with
   * {@code distance <= t} is at most {@code targetFar}.
   */
  public static double calibrateThreshold(
      ModelBundle bundle, LabeledImages validation, int pairs, long seed, double targetFar) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Fits Platt scaling of the bundle's head on seeded balanced pairs of {@code validation}:
   * {@code p' = σ(scale · logit(p) + shift)}.
   */
  public static PlattScaling calibrateHead(ModelBundle bundle, LabeledImages validation, int pairs, long seed) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Full evaluation on seeded balanced pairs of {@code test} (all labels) and of its held-out labels
   * only; the threshold is the bundle's.
   *
   * @param heldOutLabels labels never seen in training (may be empty: heldout figures are then NaN)
   */
  public static EvalReport evaluate(
      ModelBundle bundle, LabeledImages test, Set<Integer> heldOutLabels, int pairs, long seed) {
    throw new UnsupportedOperationException("TODO");
  }
}
