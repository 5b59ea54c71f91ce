package io.siamesestreams.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exponential moving average of every parameter of some blocks (batch-norm running statistics
 * included): after each optimiser step {@code avg ← δ·avg + (1 − δ)·θ} with
 * {@code δ = min(decay, (1 + t) / (10 + t))} at update t, so that the early average does not stay
 * stuck at the random initialisation. The averaged copies are owned here and freed by {@link #close}.
 */
final class WeightAverage implements AutoCloseable {
  private final Map<Parameter, NDArray> average = new IdentityHashMap<>();
  private final float decay;
  private int updates;

  WeightAverage(List<Block> blocks, float decay) {
    if (!(decay > 0 && decay < 1)) {
      throw new IllegalArgumentException("decay must be in (0, 1), was " + decay);
    }
    this.decay = decay;
    for (Block block : blocks) {
      for (Pair<String, Parameter> p : block.getParameters()) {
        average.put(p.getValue(), p.getValue().getArray().duplicate());
      }
    }
  }

  /** Folds the current weights into the average. */
  void update() {
    updates++;
    float d = Math.min(decay, (1f + updates) / (10f + updates));
    average.forEach((parameter, avg) -> {
      try (NDArray part = parameter.getArray().mul(1f - d)) {
        avg.muli(d).addi(part);
      }
    });
  }

  /** Copies the averaged values into the parameters (the caller snapshots first to undo it). */
  void copyIntoParameters() {
    average.forEach((parameter, avg) -> parameter.getArray().set(avg.toFloatArray()));
  }

  @Override
  public void close() {
    average.values().forEach(NDArray::close);
  }
}
