package io.siamesestreams.trainer.loss;

import ai.djl.ndarray.NDArray;

/**
 * @param loss scalar NDArray, attached to the gradient graph
 * @param value the loss as a float
 * @param activeFraction fraction of mined triplets (or pairs) with a non-zero loss
 */
public record LossResult(NDArray loss, float value, float activeFraction) {}
