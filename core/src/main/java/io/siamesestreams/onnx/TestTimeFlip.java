package io.siamesestreams.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Map;

/**
 * Test-time flip for an image encoder: wraps an encoder model so that it embeds each image and its
 * mirror image (flipped along the width axis) in one call and returns their mean, L2-normalised
 * again when the encoder's embeddings are.
 *
 * <p>For an encoder {@code f} with input {@code [N, C, H, W]} and output {@code [N, D]}, the
 * wrapped model computes {@code e = (f(x) + f(flip(x))) / 2}, then {@code e / max(‖e‖₂, ε)} when
 * {@code l2Normalized}. Input and output keep their names and shapes, so a bundle's manifest does
 * not change; the encoder runs on a batch of {@code 2N} images (twice the cost per image). Inside
 * the graph: {@code Slice} with step −1 on axis 3, {@code Concat} on axis 0, the original nodes,
 * then {@code Reshape [2, N, D]} and {@code ReduceMean} over axis 0.
 */
public final class TestTimeFlip {

  /** ε of the renormalisation, as in the trainer's L2 normalisation. */
  public static final float L2_EPSILON = 1e-12f;

  private static final String PREFIX = "test_time_flip_";

  private TestTimeFlip() {}

  /**
   * The wrapped encoder's bytes.
   *
   * @param encoder an ONNX encoder with one input {@code [N, C, H, W]} and one output {@code [N, D]}
   *     whose D is a fixed size
   * @param l2Normalized whether to L2-normalise the mean embedding (true for encoders whose own
   *     embeddings have unit norm)
   * @throws IllegalArgumentException when the model is not such an encoder
   */
  public static byte[] wrap(byte[] encoder, boolean l2Normalized) {
    OnnxMl.ModelProto model;
    try {
      model = OnnxMl.ModelProto.parseFrom(encoder);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
    }
    OnnxMl.GraphProto graph = model.getGraph();
    if (graph.getInputCount() - initializerInputs(graph) != 1 || graph.getOutputCount() != 1) {
      throw new IllegalArgumentException("an encoder has one input and one output; this model has "
          + graph.getInputCount() + " inputs and " + graph.getOutputCount() + " outputs");
    }
    String input = graph.getInput(0).getName();
    String output = graph.getOutput(0).getName();
    OnnxMl.TensorShapeProto outputShape = graph.getOutput(0).getType().getTensorType().getShape();
    OnnxMl.TensorShapeProto inputShape = graph.getInput(0).getType().getTensorType().getShape();
    if (inputShape.getDimCount() != 4 || outputShape.getDimCount() != 2 || !outputShape.getDim(1).hasDimValue()) {
      throw new IllegalArgumentException("an encoder maps [N, C, H, W] to [N, D] with a fixed D; this model has input "
          + inputShape.getDimCount() + " dims and output " + outputShape.getDimCount() + " dims");
    }
    long dimension = outputShape.getDim(1).getDimValue();

    String pairInput = PREFIX + "pair_input";
    String pairOutput = PREFIX + "pair_output";
    OnnxGraphWriter extra = new OnnxGraphWriter("test_time_flip");
    extra.initializerInt64(PREFIX + "starts", new long[] {-1}, 1)
        .initializerInt64(PREFIX + "ends", new long[] {Long.MIN_VALUE}, 1)
        .initializerInt64(PREFIX + "axes", new long[] {3}, 1)
        .initializerInt64(PREFIX + "steps", new long[] {-1}, 1)
        .initializerInt64(PREFIX + "pair_shape", new long[] {2, -1, dimension}, 3)
        .initializer(PREFIX + "epsilon", new float[] {L2_EPSILON})
        .node("Slice", new String[] {input, PREFIX + "starts", PREFIX + "ends", PREFIX + "axes", PREFIX + "steps"},
            new String[] {PREFIX + "mirrored"}, Map.of())
        .node("Concat", new String[] {input, PREFIX + "mirrored"}, new String[] {pairInput}, Map.of("axis", 0L))
        .node("Reshape", new String[] {pairOutput, PREFIX + "pair_shape"}, new String[] {PREFIX + "pairs"}, Map.of())
        .node("ReduceMean", new String[] {PREFIX + "pairs"}, new String[] {l2Normalized ? PREFIX + "mean" : output},
            Map.of("axes", new long[] {0}, "keepdims", 0L));
    if (l2Normalized) {
      extra.node("ReduceL2", new String[] {PREFIX + "mean"}, new String[] {PREFIX + "norm"},
              Map.of("axes", new long[] {1}, "keepdims", 1L))
          .node("Max", new String[] {PREFIX + "norm", PREFIX + "epsilon"}, new String[] {PREFIX + "safe_norm"}, Map.of())
          .node("Div", new String[] {PREFIX + "mean", PREFIX + "safe_norm"}, new String[] {output}, Map.of());
    }
    OnnxMl.GraphProto added;
    try {
      added = OnnxMl.ModelProto.parseFrom(extra.toBytes()).getGraph();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }

    OnnxMl.GraphProto.Builder wrapped = graph.toBuilder().clearNode();
    wrapped.addAllInitializer(added.getInitializerList());
    wrapped.addNode(prefixed(added.getNode(0))).addNode(prefixed(added.getNode(1)));
    for (OnnxMl.NodeProto node : graph.getNodeList()) {
      OnnxMl.NodeProto.Builder renamed = node.toBuilder();
      for (int i = 0; i < renamed.getInputCount(); i++) {
        if (renamed.getInput(i).equals(input)) {
          renamed.setInput(i, pairInput);
        }
      }
      for (int i = 0; i < renamed.getOutputCount(); i++) {
        if (renamed.getOutput(i).equals(output)) {
          renamed.setOutput(i, pairOutput);
        }
      }
      wrapped.addNode(renamed);
    }
    for (int i = 2; i < added.getNodeCount(); i++) {
      wrapped.addNode(prefixed(added.getNode(i)));
    }
    return model.toBuilder().setGraph(wrapped).build().toByteArray();
  }

  private static OnnxMl.NodeProto prefixed(OnnxMl.NodeProto node) {
    return node.toBuilder().setName(PREFIX + node.getName()).build();
  }

  private static int initializerInputs(OnnxMl.GraphProto graph) {
    int count = 0;
    for (OnnxMl.ValueInfoProto input : graph.getInputList()) {
      for (OnnxMl.TensorProto initializer : graph.getInitializerList()) {
        if (initializer.getName().equals(input.getName())) {
          count++;
        }
      }
    }
    return count;
  }
}
