package io.siamesestreams.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A basic residual unit {@code y = relu(shortcut(x) + residual(x))} (He et al. 2016): {@code residual} is
 * {@code conv3x3 → bn → relu → conv3x3 → bn}, {@code shortcut} is empty (the identity) or {@code conv1x1 → bn} where
 * the unit changes the width or strides. Both branches map [N, C, H, W] to the same [N, C', H', W'].
 *
 * <p>Its two branches are plain {@link SequentialBlock}s of Conv2d, BatchNorm and named lambda blocks, so the ONNX
 * exporter walks them as it walks the encoder and joins them with {@code Add → Relu}.
 */
public final class ResidualUnit extends AbstractBlock {

  private final SequentialBlock residual;
  private final SequentialBlock shortcut;

  /**
   * @param residual the residual branch F
   * @param shortcut the shortcut branch, empty for the identity
   */
  public ResidualUnit(SequentialBlock residual, SequentialBlock shortcut) {
    this.residual = addChildBlock("residual", residual);
    this.shortcut = addChildBlock("shortcut", shortcut);
  }

  /** The residual branch F. */
  public SequentialBlock residual() {
    return residual;
  }

  /** The shortcut branch; no children means the identity. */
  public SequentialBlock shortcut() {
    return shortcut;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray f = residual.forward(parameterStore, inputs, training, params).singletonOrThrow();
    NDArray x = shortcut.getChildren().isEmpty()
        ? inputs.singletonOrThrow()
        : shortcut.forward(parameterStore, inputs, training, params).singletonOrThrow();
    return new NDList(Activation.relu(f.add(x)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return residual.getOutputShapes(inputShapes);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    residual.initialize(manager, dataType, inputShapes);
    if (!shortcut.getChildren().isEmpty()) {
      shortcut.initialize(manager, dataType, inputShapes);
    }
  }
}
