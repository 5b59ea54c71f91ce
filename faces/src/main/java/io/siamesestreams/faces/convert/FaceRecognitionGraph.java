package io.siamesestreams.faces.convert;

import io.siamesestreams.onnx.OnnxGraphWriter;

/**
 * face-api's {@code FaceRecognitionNet} (dlib's ResNet-29 face descriptor) as an ONNX graph, built
 * from its TensorFlow.js weights exactly as {@code src/faceRecognitionNet/*.ts} runs them.
 *
 * <p>Input {@value #INPUT} [N, 3, 150, 150]: RGB, {@code (p − mean) / 255} with mean
 * {@link #MEAN_RGB}. Output {@value #OUTPUT} [N, 128], not L2-normalised.
 *
 * <p>Layers (TensorFlow padding made explicit): conv 7×7 stride 2 "valid" + scale + ReLU (150 → 72);
 * max pool 3×3 stride 2 "valid" (→ 35); residual blocks conv32 ×3, conv64 (down, 35 → 17) ×4,
 * conv128 (down, → 8) ×3, conv256 (down, → 3, padded to 4) ×3, conv256_down_out (→ 1, padded to 2);
 * global average pool; MatMul by fc [256, 128]. A conv layer is {@code (conv(x, W) + bias) · scale_w
 * + scale_b}, folded into one Conv. A residual block is {@code relu(conv2(relu(conv1(x))) + x)}; a
 * down block uses conv1 3×3 stride 2 "valid" and adds {@code avgpool2×2(x)} with zero channels
 * appended, after appending one zero row and column to the conv branch where the sizes differ.
 */
final class FaceRecognitionGraph {

  static final String INPUT = "image";
  static final String OUTPUT = "descriptor";
  static final int SIZE = 150;
  static final int DIMENSION = 128;
  /** face-api's mean, on the 0..255 scale. */
  static final float[] MEAN_RGB = {122.782f, 117.001f, 104.298f};

  private final TfjsWeights weights;
  private final OnnxNetBuilder net;

  private FaceRecognitionGraph(TfjsWeights weights, OnnxGraphWriter graph) {
    this.weights = weights;
    this.net = new OnnxNetBuilder(graph);
  }

  /** Builds the graph from {@code face_recognition_model} weights. */
  static OnnxGraphWriter build(TfjsWeights weights) {
    OnnxGraphWriter graph = new OnnxGraphWriter("face_recognition_net");
    graph.input(INPUT, "N", 3, SIZE, SIZE);
    new FaceRecognitionGraph(weights, graph).layers();
    graph.output(OUTPUT, "N", DIMENSION);
    return graph;
  }

  private void layers() {
    String stem = net.relu(convLayer(INPUT, "conv32_down", 2, OnnxNetBuilder.NO_PADS));
    int stemSize = (SIZE - 7) / 2 + 1;
    String pooled = net.maxPool(stem, 3, 2, OnnxNetBuilder.NO_PADS);
    Block x = new Block(pooled, 32, (stemSize - 3) / 2 + 1);

    x = residual(x, "conv32_1");
    x = residual(x, "conv32_2");
    x = residual(x, "conv32_3");
    x = residualDown(x, "conv64_down");
    x = residual(x, "conv64_1");
    x = residual(x, "conv64_2");
    x = residual(x, "conv64_3");
    x = residualDown(x, "conv128_down");
    x = residual(x, "conv128_1");
    x = residual(x, "conv128_2");
    x = residualDown(x, "conv256_down");
    x = residual(x, "conv256_1");
    x = residual(x, "conv256_2");
    x = residualDown(x, "conv256_down_out");

    String features = net.flatten(net.globalAveragePool(x.name()));
    net.dense(features, weights.get("fc", 2), null, OUTPUT);
  }

  /** A tensor name with its channel count and (square) spatial size. */
  private record Block(String name, int channels, int size) {}

  /** {@code (conv(x, filters) + bias) · scale/weights + scale/biases}, one Conv. */
  private String convLayer(String input, String prefix, int stride, long[] pads) {
    TfjsWeights.Tensor filters = weights.get(prefix + "/conv/filters", 4);
    return net.conv(input, filters,
        weights.get(prefix + "/conv/bias", 1).values(),
        weights.get(prefix + "/scale/weights", 1).values(),
        weights.get(prefix + "/scale/biases", 1).values(),
        stride, pads, prefix);
  }

  private Block residual(Block x, String prefix) {
    String out = net.relu(convLayer(x.name(), prefix + "/conv1", 1, OnnxNetBuilder.SAME_3X3));
    out = convLayer(out, prefix + "/conv2", 1, OnnxNetBuilder.SAME_3X3);
    return new Block(net.relu(net.add(out, x.name())), x.channels(), x.size());
  }

  private Block residualDown(Block x, String prefix) {
    int outChannels = weights.get(prefix + "/conv1/conv/filters", 4).dim(3);
    int convSize = (x.size() - 3) / 2 + 1;
    int poolSize = x.size() / 2;
    String out = net.relu(convLayer(x.name(), prefix + "/conv1", 2, OnnxNetBuilder.NO_PADS));
    out = convLayer(out, prefix + "/conv2", 1, OnnxNetBuilder.SAME_3X3);
    String pooled = net.averagePool(x.name(), 2, 2);
    if (convSize != poolSize) {
      if (poolSize != convSize + 1) {
        throw new IllegalStateException(prefix + ": conv branch " + convSize + " vs pooled " + poolSize);
      }
      // face-api appends one zero row (bottom) and one zero column (right) to the conv branch.
      out = net.zeroPad(out, new long[] {0, 0, 0, 0, 0, 0, 1, 1});
    }
    if (outChannels != x.channels()) {
      // The shortcut gets zero channels appended after the pooled ones.
      pooled = net.zeroPad(pooled, new long[] {0, 0, 0, 0, 0, outChannels - x.channels(), 0, 0});
    }
    return new Block(net.relu(net.add(pooled, out)), outChannels, poolSize);
  }
}
