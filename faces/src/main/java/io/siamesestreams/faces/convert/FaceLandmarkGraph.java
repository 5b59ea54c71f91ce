package io.siamesestreams.faces.convert;

import io.siamesestreams.onnx.OnnxGraphWriter;

/**
 * face-api's {@code FaceLandmark68TinyNet} as an ONNX graph, built from its TensorFlow.js weights as
 * {@code src/faceFeatureExtractor/TinyFaceFeatureExtractor.ts}, {@code denseBlock.ts} and
 * {@code src/faceProcessor/FaceProcessor.ts} run them.
 *
 * <p>Input {@value #INPUT} [N, 3, 112, 112]: RGB, {@code (p − mean) / 255} with mean
 * {@link #MEAN_RGB}. Output {@value #OUTPUT} [N, 136]: x0, y0, x1, y1, … of the 68 points, as
 * fractions of the 112×112 input.
 *
 * <p>Three dense blocks (32, 64, 128 channels), each halving the size (112 → 56 → 28 → 14):
 * {@code out1 = relu(down(x))}, {@code out2 = sep(out1)}, {@code out3 = sep(relu(out1 + out2))},
 * result {@code relu(out1 + (out2 + out3))}, where down is conv 3×3 stride 2 (first block) or a
 * separable conv stride 2, and sep a separable conv 3×3 stride 1 (depthwise, pointwise + bias),
 * all with TensorFlow "same" padding; then average pool 14×14 → [N, 128] and a dense layer to 136.
 */
final class FaceLandmarkGraph {

  static final String INPUT = "image";
  static final String OUTPUT = "landmarks";
  static final int SIZE = 112;
  static final float[] MEAN_RGB = {122.782f, 117.001f, 104.298f};

  private FaceLandmarkGraph() {}

  static OnnxGraphWriter build(TfjsWeights weights) {
    OnnxGraphWriter graph = new OnnxGraphWriter("face_landmark_68_tiny_net");
    graph.input(INPUT, "N", 3, SIZE, SIZE);
    OnnxNetBuilder net = new OnnxNetBuilder(graph);
    String out = denseBlock3(net, weights, INPUT, "dense0", true);
    out = denseBlock3(net, weights, out, "dense1", false);
    out = denseBlock3(net, weights, out, "dense2", false);
    out = net.flatten(net.averagePool(out, 14, 2));
    TfjsWeights.Tensor fc = weights.get("fc/weights", 2);
    net.dense(out, fc, weights.get("fc/bias", 1).values(), OUTPUT);
    graph.output(OUTPUT, "N", fc.dim(1));
    return graph;
  }

  private static String denseBlock3(OnnxNetBuilder net, TfjsWeights weights, String x, String prefix, boolean first) {
    String down = first
        ? net.conv(x, weights.get(prefix + "/conv0/filters", 4), weights.get(prefix + "/conv0/bias", 1).values(),
            null, null, 2, OnnxNetBuilder.SAME_3X3_STRIDE2_EVEN, prefix + "/conv0")
        : net.separableConv(x, weights, prefix + "/conv0", 2, OnnxNetBuilder.SAME_3X3_STRIDE2_EVEN);
    String out1 = net.relu(down);
    String out2 = net.separableConv(out1, weights, prefix + "/conv1", 1, OnnxNetBuilder.SAME_3X3);
    String in3 = net.relu(net.add(out1, out2));
    String out3 = net.separableConv(in3, weights, prefix + "/conv2", 1, OnnxNetBuilder.SAME_3X3);
    return net.relu(net.add(out1, net.add(out2, out3)));
  }
}
