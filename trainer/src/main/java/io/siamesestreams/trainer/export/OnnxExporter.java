package io.siamesestreams.trainer.export;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import io.siamesestreams.onnx.OnnxGraphWriter;
import io.siamesestreams.trainer.model.EncoderSpec;
import io.siamesestreams.trainer.model.ResidualUnit;
import io.siamesestreams.trainer.model.SiameseNetwork;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a trained {@link SiameseNetwork} as ONNX (opset {@value OnnxGraphWriter#OPSET}, symbolic
 * batch dimension "N") with core's {@link OnnxGraphWriter}.
 *
 * <ul>
 *   <li>{@code encoder.onnx}: input {@value #IMAGE_INPUT} [N, C, H, W] → output {@value
 *       #EMBEDDING_OUTPUT} [N, D]. Conv2d → Conv; a BatchNorm right after a Conv2d is folded into
 *       that Conv's weights and bias ({@link FoldedConv}), any other BatchNorm → BatchNormalization (running
 *       statistics); Linear → Gemm (transB = 1, DJL stores [out, in]), relu → Relu, 2×2 pooling →
 *       MaxPool, flatten → Flatten, a {@link ResidualUnit} → its two branches joined by Add → Relu (an empty
 *       shortcut is the unit's input itself), global average pooling → GlobalAveragePool → Flatten, L2
 *       normalisation → {@code x / Max(ReduceL2(x), ε)}.
 *   <li>{@code head.onnx}, the learned head ({@link #writeHead}): inputs {@value #LEFT_INPUT}, {@value
 *       #RIGHT_INPUT} [N, D] → Sub → Abs → MatMul(w [D, 1]) → Add(b [1]) → Sigmoid → {@value
 *       #PROBABILITY_OUTPUT} [N, 1]; or the distance head ({@link #writeDistanceHead}): Sub →
 *       ReduceSumSquare → Mul(a) → Add(c) → Sigmoid, a logistic function of the squared L2 distance.
 * </ul>
 */
public final class OnnxExporter {

  public static final String IMAGE_INPUT = "image";
  public static final String EMBEDDING_OUTPUT = "embedding";
  public static final String LEFT_INPUT = "left";
  public static final String RIGHT_INPUT = "right";
  public static final String PROBABILITY_OUTPUT = "probability";
  private static final String BATCH = "N";

  private OnnxExporter() {}

  /**
   * Writes the encoder of {@code network} to {@code file}, walking its blocks in order.
   *
   * @param metadata stored as model metadata properties (e.g. producer, model id)
   * @throws IllegalArgumentException when the encoder holds a block the exporter does not know
   */
  public static void writeEncoder(SiameseNetwork network, Path file, Map<String, String> metadata) {
    encoderGraph(network, metadata).write(file);
  }

  /** The encoder as an ONNX graph; see {@link #writeEncoder}. */
  public static OnnxGraphWriter encoderGraph(SiameseNetwork network, Map<String, String> metadata) {
    EncoderSpec spec = network.spec();
    OnnxGraphWriter graph = new OnnxGraphWriter("encoder");
    graph.input(IMAGE_INPUT, BATCH, spec.channels(), spec.height(), spec.width());
    String current = addBlocks(graph, network.encoder().getChildren(), IMAGE_INPUT, "l", EMBEDDING_OUTPUT);
    if (!EMBEDDING_OUTPUT.equals(current)) { // also when the last block was folded away: never the case in SiameseNetwork
      throw new IllegalArgumentException("encoder has no layers");
    }
    graph.output(EMBEDDING_OUTPUT, BATCH, spec.embeddingDim());
    metadata.forEach(graph::metadata);
    return graph;
  }

  /**
   * Adds {@code children} in order, reading {@code input}, and returns the name of the last output: {@code output}
   * for the last block (the input itself when there are none). Layer names start with {@code namePrefix}.
   */
  private static String addBlocks(
      OnnxGraphWriter graph, BlockList children, String input, String namePrefix, String output) {
    String current = input;
    int index = 0;
    for (int position = 0; position < children.size(); position++) {
      Pair<String, Block> child = children.get(position);
      Block block = child.getValue();
      String prefix = namePrefix + index++ + "_";
      BatchNorm following =
          position + 1 < children.size() && children.get(position + 1).getValue() instanceof BatchNorm norm
              ? norm : null;
      if (block instanceof Conv2d && following != null) {
        position++; // the batch norm is folded into this convolution
      }
      boolean last = position + 1 == children.size();
      String out = last ? output : prefix + "out";
      if (block instanceof Conv2d conv) {
        addConv(graph, conv, following, prefix, current, out);
      } else if (block instanceof BatchNorm norm) { // one not following a convolution
        var params = norm.getParameters();
        String scale = addInitializer(graph, prefix + "gamma", params.get("gamma"));
        String bias = addInitializer(graph, prefix + "beta", params.get("beta"));
        String mean = addInitializer(graph, prefix + "running_mean", params.get("runningMean"));
        String var = addInitializer(graph, prefix + "running_var", params.get("runningVar"));
        graph.node(
            "BatchNormalization",
            new String[] {current, scale, bias, mean, var},
            new String[] {out},
            Map.of("epsilon", SiameseNetwork.BATCH_NORM_EPSILON));
      } else if (block instanceof Linear linear) {
        String w = addInitializer(graph, prefix + "weight", linear.getParameters().get("weight"));
        String b = addInitializer(graph, prefix + "bias", linear.getParameters().get("bias"));
        graph.node("Gemm", new String[] {current, w, b}, new String[] {out}, Map.of("transB", 1L));
      } else if (block instanceof ResidualUnit unit) {
        String residual = addBlocks(graph, unit.residual().getChildren(), current, prefix + "r", prefix + "residual");
        String shortcut = addBlocks(graph, unit.shortcut().getChildren(), current, prefix + "s", prefix + "shortcut");
        graph.node("Add", new String[] {residual, shortcut}, new String[] {prefix + "sum"}, Map.of());
        graph.node("Relu", new String[] {prefix + "sum"}, new String[] {out}, Map.of());
      } else if (block instanceof LambdaBlock lambda) {
        addLambda(graph, lambda.getName(), prefix, current, out);
      } else {
        throw new IllegalArgumentException(
            "cannot export encoder block " + child.getKey() + " of type " + block.getClass().getName());
      }
      current = out;
    }
    return current;
  }

  /** A Conv2d as Conv, with the batch norm that follows it (if any) folded into its weights and bias. */
  private static void addConv(
      OnnxGraphWriter graph, Conv2d conv, BatchNorm following, String prefix, String in, String out) {
    long[] kernel = conv.getKernelShape().getShape();
    long[] pad = conv.getPadding().getShape();
    long[] stride = conv.getStride().getShape();
    String w;
    String b;
    if (following == null) {
      w = addInitializer(graph, prefix + "weight", conv.getParameters().get("weight"));
      b = addInitializer(graph, prefix + "bias", conv.getParameters().get("bias"));
    } else {
      FoldedConv folded = FoldedConv.of(conv, following);
      w = prefix + "weight";
      b = prefix + "bias";
      graph.initializer(w, folded.weight(), folded.weightShape());
      graph.initializer(b, folded.bias(), folded.bias().length);
    }
    graph.node(
        "Conv",
        new String[] {in, w, b},
        new String[] {out},
        Map.of(
            "kernel_shape", kernel,
            "pads", new long[] {pad[0], pad[1], pad[0], pad[1]},
            "strides", stride));
  }

  private static void addLambda(OnnxGraphWriter graph, String name, String prefix, String in, String out) {
    switch (name) {
      case SiameseNetwork.RELU -> graph.node("Relu", new String[] {in}, new String[] {out}, Map.of());
      case SiameseNetwork.MAX_POOL ->
          graph.node(
              "MaxPool",
              new String[] {in},
              new String[] {out},
              Map.of("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2}));
      case SiameseNetwork.FLATTEN -> graph.node("Flatten", new String[] {in}, new String[] {out}, Map.of("axis", 1L));
      case SiameseNetwork.GLOBAL_AVERAGE_POOL -> {
        graph.node("GlobalAveragePool", new String[] {in}, new String[] {prefix + "pooled"}, Map.of());
        graph.node("Flatten", new String[] {prefix + "pooled"}, new String[] {out}, Map.of("axis", 1L));
      }
      case SiameseNetwork.L2_NORMALIZE -> {
        // DJL (torch.nn.functional.normalize): x / max(‖x‖₂, ε), so a zero vector maps to zero, not NaN.
        graph.initializer(prefix + "epsilon", new float[] {SiameseNetwork.L2_EPSILON});
        graph.node(
            "ReduceL2",
            new String[] {in},
            new String[] {prefix + "norm"},
            Map.of("axes", new long[] {1}, "keepdims", 1L));
        graph.node(
            "Max",
            new String[] {prefix + "norm", prefix + "epsilon"},
            new String[] {prefix + "safe_norm"},
            Map.of());
        graph.node("Div", new String[] {in, prefix + "safe_norm"}, new String[] {out}, Map.of());
      }
      default -> throw new IllegalArgumentException("cannot export lambda block '" + name + "'");
    }
  }

  private static String addInitializer(OnnxGraphWriter graph, String name, Parameter parameter) {
    if (parameter == null) {
      throw new IllegalArgumentException("missing parameter for " + name);
    }
    NDArray array = parameter.getArray();
    graph.initializer(name, array.toFloatArray(), array.getShape().getShape());
    return name;
  }

  /** The head's trained weights w [D] and bias b of {@code network}. */
  public static HeadWeights headWeights(SiameseNetwork network) {
    float[] w = network.head().getParameters().get("weight").getArray().toFloatArray();
    float[] b = network.head().getParameters().get("bias").getArray().toFloatArray();
    return new HeadWeights(w, b[0]);
  }

  /** Writes the head {@code p = σ(Σ_k w_k |left_k − right_k| + b)} to {@code file}. */
  public static void writeHead(HeadWeights head, Path file, Map<String, String> metadata) {
    headGraph(head, metadata).write(file);
  }

  /** The head as an ONNX graph; see {@link #writeHead}. */
  public static OnnxGraphWriter headGraph(HeadWeights head, Map<String, String> metadata) {
    int d = head.weight().length;
    OnnxGraphWriter graph = new OnnxGraphWriter("head");
    graph.input(LEFT_INPUT, BATCH, d);
    graph.input(RIGHT_INPUT, BATCH, d);
    graph.initializer("w", head.weight(), d, 1);
    graph.initializer("b", new float[] {head.bias()}, 1);
    graph.node("Sub", new String[] {LEFT_INPUT, RIGHT_INPUT}, new String[] {"difference"}, Map.of());
    graph.node("Abs", new String[] {"difference"}, new String[] {"abs_difference"}, Map.of());
    graph.node("MatMul", new String[] {"abs_difference", "w"}, new String[] {"weighted"}, Map.of());
    graph.node("Add", new String[] {"weighted", "b"}, new String[] {"logit"}, Map.of());
    graph.node("Sigmoid", new String[] {"logit"}, new String[] {PROBABILITY_OUTPUT}, Map.of());
    graph.output(PROBABILITY_OUTPUT, BATCH, 1);
    metadata.forEach(graph::metadata);
    return graph;
  }

  /**
   * Writes the distance head {@code p = σ(a · Σ_k (left_k − right_k)² + c)}: a calibrated function of
   * the same squared L2 distance the decision threshold applies to (a &lt; 0 makes p fall as the distance
   * grows, so p and the decision never disagree about which of two pairs is more alike).
   */
  public static void writeDistanceHead(DistanceHead head, Path file, Map<String, String> metadata) {
    distanceHeadGraph(head, metadata).write(file);
  }

  /** The distance head as an ONNX graph; see {@link #writeDistanceHead}. */
  public static OnnxGraphWriter distanceHeadGraph(DistanceHead head, Map<String, String> metadata) {
    OnnxGraphWriter graph = new OnnxGraphWriter("distance_head");
    graph.input(LEFT_INPUT, BATCH, head.dimension());
    graph.input(RIGHT_INPUT, BATCH, head.dimension());
    graph.initializer("a", new float[] {(float) head.scale()}, 1);
    graph.initializer("c", new float[] {(float) head.shift()}, 1);
    graph.node("Sub", new String[] {LEFT_INPUT, RIGHT_INPUT}, new String[] {"difference"}, Map.of());
    graph.node(
        "ReduceSumSquare",
        new String[] {"difference"},
        new String[] {"squared_distance"},
        Map.of("axes", new long[] {1}, "keepdims", 1L));
    graph.node("Mul", new String[] {"squared_distance", "a"}, new String[] {"scaled"}, Map.of());
    graph.node("Add", new String[] {"scaled", "c"}, new String[] {"logit"}, Map.of());
    graph.node("Sigmoid", new String[] {"logit"}, new String[] {PROBABILITY_OUTPUT}, Map.of());
    graph.output(PROBABILITY_OUTPUT, BATCH, 1);
    metadata.forEach(graph::metadata);
    return graph;
  }
}
