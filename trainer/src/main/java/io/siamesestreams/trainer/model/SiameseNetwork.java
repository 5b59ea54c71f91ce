package io.siamesestreams.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;

/**
 * The Siamese network in DJL: the CNN encoder described by an {@link EncoderSpec} (L2-normalised
 * output) and the same/different head {@code p = σ(Σ_k w_k |a_k − b_k| + b)}, a one-unit
 * {@link Linear} layer (weight [1, D], bias [1]) on {@code |a − b|}.
 *
 * <p>The encoder is a {@link SequentialBlock} of Conv2d, BatchNorm, Linear, {@link ResidualUnit} and
 * parameter-free lambda blocks named {@link #RELU}, {@link #MAX_POOL}, {@link #FLATTEN}, {@link
 * #GLOBAL_AVERAGE_POOL} and {@link #L2_NORMALIZE}, so the ONNX exporter can walk the real block rather than a
 * second description of it.
 */
public final class SiameseNetwork {

  /** Name of the relu lambda blocks. */
  public static final String RELU = "relu";
  /** Name of the 2×2, stride 2 max-pooling lambda blocks (floor rounding). */
  public static final String MAX_POOL = "maxpool2x2";
  /** Name of the flatten lambda block ([N, C, H, W] → [N, C·H·W]). */
  public static final String FLATTEN = "flatten";
  /** Name of the global average pooling lambda block ([N, C, H, W] → [N, C], the mean over H and W). */
  public static final String GLOBAL_AVERAGE_POOL = "globalavgpool";
  /** Name of the L2-normalisation lambda block. */
  public static final String L2_NORMALIZE = "l2normalize";
  /** ε of the L2 normalisation {@code x / max(‖x‖₂, ε)} (DJL's and PyTorch's default). */
  public static final float L2_EPSILON = 1e-12f;
  /** ε added to the running variance by batch normalisation. */
  public static final float BATCH_NORM_EPSILON = 1e-5f;
  /** Weight of the old running statistics in each batch-norm update. */
  public static final float BATCH_NORM_MOMENTUM = 0.9f;

  private final EncoderSpec spec;
  private final SequentialBlock encoder;
  private final Linear head;
  private final Linear classifier;

  private SiameseNetwork(EncoderSpec spec, SequentialBlock encoder, Linear head, Linear classifier) {
    this.spec = spec;
    this.encoder = encoder;
    this.head = head;
    this.classifier = classifier;
  }

  /** Builds the (uninitialised) network without class weights; call {@link #initialize} before use. */
  public static SiameseNetwork create(EncoderSpec spec) {
    return create(spec, 0);
  }

  /**
   * Builds the (uninitialised) network; call {@link #initialize} before use.
   *
   * @param classes with {@code classes > 0}, also a bias-free [classes, D] weight matrix for a
   *     softmax-type loss over the training classes (used only in training, never exported)
   */
  public static SiameseNetwork create(EncoderSpec spec, int classes) {
    SequentialBlock encoder = new SequentialBlock();
    if (spec.architecture() == EncoderSpec.Architecture.RESNET) {
      addResidualStages(encoder, spec);
    } else {
      addVggStages(encoder, spec);
    }
    encoder.add(Linear.builder().setUnits(spec.hiddenUnits()).build());
    encoder.add(Activation::relu, RELU);
    encoder.add(Linear.builder().setUnits(spec.embeddingDim()).build());
    encoder.add(
        list -> new NDList(list.singletonOrThrow().normalize(2, 1, L2_EPSILON)), L2_NORMALIZE);
    Linear head = Linear.builder().setUnits(1).build();
    Linear classifier = classes > 0 ? Linear.builder().setUnits(classes).optBias(false).build() : null;
    return new SiameseNetwork(spec, encoder, head, classifier);
  }

  private static void addVggStages(SequentialBlock encoder, EncoderSpec spec) {
    for (int filters : spec.convWidths()) {
      for (int conv = 0; conv < spec.convsPerStage(); conv++) {
        addConv(encoder, filters, 3, 1, spec.batchNorm());
        encoder.add(Activation::relu, RELU);
      }
      encoder.add(
          list ->
              new NDList(
                  Pool.maxPool2d(
                      list.singletonOrThrow(), new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false)),
          MAX_POOL);
    }
    encoder.add(list -> new NDList(Blocks.batchFlatten(list.singletonOrThrow())), FLATTEN);
  }

  private static void addResidualStages(SequentialBlock encoder, EncoderSpec spec) {
    int width = spec.convWidths().get(0);
    addConv(encoder, width, 3, 1, true);
    encoder.add(Activation::relu, RELU);
    for (int stage = 0; stage < spec.convWidths().size(); stage++) {
      int filters = spec.convWidths().get(stage);
      for (int unit = 0; unit < spec.convsPerStage(); unit++) {
        int stride = stage > 0 && unit == 0 ? 2 : 1;
        SequentialBlock residual = new SequentialBlock();
        addConv(residual, filters, 3, stride, true);
        residual.add(Activation::relu, RELU);
        addConv(residual, filters, 3, 1, true);
        SequentialBlock shortcut = new SequentialBlock();
        if (stride != 1 || filters != width) {
          addConv(shortcut, filters, 1, stride, true);
        }
        encoder.add(new ResidualUnit(residual, shortcut));
        width = filters;
      }
    }
    encoder.add(
        list -> new NDList(Blocks.batchFlatten(Pool.globalAvgPool2d(list.singletonOrThrow()))), GLOBAL_AVERAGE_POOL);
  }

  /** A k×k convolution (padding k / 2) with {@code filters} outputs, optionally followed by batch norm. */
  private static void addConv(SequentialBlock block, int filters, int kernel, int stride, boolean batchNorm) {
    block.add(
        Conv2d.builder()
            .setKernelShape(new Shape(kernel, kernel))
            .optPadding(new Shape(kernel / 2, kernel / 2))
            .optStride(new Shape(stride, stride))
            .setFilters(filters)
            .build());
    if (batchNorm) {
      block.add(BatchNorm.builder().optEpsilon(BATCH_NORM_EPSILON).optMomentum(BATCH_NORM_MOMENTUM).build());
    }
  }

  /**
   * Initialises every parameter on {@code manager} (random draws come from the engine's seeded
   * generator, so seed the engine first for reproducible weights).
   */
  public SiameseNetwork initialize(NDManager manager) {
    encoder.initialize(manager, DataType.FLOAT32, new Shape(1, spec.channels(), spec.height(), spec.width()));
    head.initialize(manager, DataType.FLOAT32, new Shape(1, spec.embeddingDim()));
    if (classifier != null) {
      classifier.initialize(manager, DataType.FLOAT32, new Shape(1, spec.embeddingDim()));
    }
    return this;
  }

  public EncoderSpec spec() {
    return spec;
  }

  /** The encoder block: images [N, C, H, W] → embeddings [N, D], unit L2 norm. */
  public SequentialBlock encoder() {
    return encoder;
  }

  /** The head block: |a − b| [N, D] → logit [N, 1]. */
  public Linear head() {
    return head;
  }

  /**
   * Embeds a batch.
   *
   * @param images [N, C, H, W], normalised as the manifest's input declares
   * @param training true in training steps (batch norm then uses and updates batch statistics)
   * @return [N, D], each row of unit L2 norm
   */
  public NDArray embed(ParameterStore parameters, NDArray images, boolean training) {
    return encoder.forward(parameters, new NDList(images), training).singletonOrThrow();
  }

  /** The head's probability that the pairs (left[i], right[i]) share an identity, [N, 1]. */
  public NDArray probability(ParameterStore parameters, NDArray left, NDArray right) {
    NDArray logit = head.forward(parameters, new NDList(left.sub(right).abs()), false).singletonOrThrow();
    return Activation.sigmoid(logit);
  }

  /**
   * The head weight w as the parameter store serves it (so the store's optimiser updates it), [1, D].
   */
  public NDArray headWeight(ParameterStore parameters, boolean training) {
    return parameters.getValue(headParameter("weight"), parameters.getManager().getDevice(), training);
  }

  /** The head bias b as the parameter store serves it, [1]. */
  public NDArray headBias(ParameterStore parameters, boolean training) {
    return parameters.getValue(headParameter("bias"), parameters.getManager().getDevice(), training);
  }

  /**
   * The class weight matrix [C, D] as the parameter store serves it.
   *
   * @throws IllegalStateException when the network was created without classes
   */
  public NDArray classWeights(ParameterStore parameters, boolean training) {
    if (classifier == null) {
      throw new IllegalStateException("this network has no class weights");
    }
    return parameters.getValue(
        classifier.getParameters().get("weight"), parameters.getManager().getDevice(), training);
  }

  private Parameter headParameter(String name) {
    return head.getParameters().get(name);
  }
}
