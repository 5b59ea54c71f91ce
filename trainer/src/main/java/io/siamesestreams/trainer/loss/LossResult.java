package io.siamesestreams.trainer.loss;

import ai.djl.ndarray.NDArray;

/**
 * @param loss scalar NDArray, attached to the gradient graph
 * @param value the loss as a float
 * @param activeFraction fraction of mined triplets with a non-zero loss; for {@link BinaryPairLoss},
 *     fraction of pairs on the wrong side of p = ½ (cross-entropy is never exactly zero)
 */
public record LossResult(NDArray loss, float value, float activeFraction) {}
