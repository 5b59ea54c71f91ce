package io.siamesestreams.faces.convert;

import io.siamesestreams.onnx.OnnxGraphWriter;

/**
 * face-api's {@code TinyFaceDetector} (a TinyYOLOv2 with depthwise-separable convolutions) as an
 * ONNX graph, built from its TensorFlow.js weights as {@code src/tinyYolov2/TinyYolov2Base.ts}
 * ({@code runMobilenet}, {@code withSeparableConvs}, {@code isFirstLayerConv2d}) runs them.
 *
 * <p>Input {@value #INPUT} [N, 3, S, S] with S symbolic (a multiple of 32, 416 by default): RGB,
 * {@code (p − mean) / 255} with mean {@link #MEAN_RGB}. Output {@value #OUTPUT} [N, 25, S', S'] with
 * S' = (S − 2) / 32 rounded up (13 for 416): for anchor a and cell (row, col), channels
 * {@code 5a .. 5a+4} hold the raw box encoding (tx, ty, tw, th, score logit).
 *
 * <p>Layers: conv0 3×3 "valid" + bias + LeakyReLU(0.1); then five times max pool 2×2 stride 2
 * "same" and a separable conv (depthwise 3×3 with one pixel of zero padding, pointwise 1×1 + bias,
 * LeakyReLU 0.1) for conv1..conv5, the fifth pool having stride 1; finally conv8 1×1 + bias.
 * TensorFlow's "same" pooling puts its odd padding at the bottom/right, which is ONNX's
 * {@code auto_pad = SAME_UPPER}.
 */
final class TinyFaceDetectorGraph {

  static final String INPUT = "image";
  static final String OUTPUT = "grid";
  /** face-api's mean for the tiny face detector, on the 0..255 scale. */
  static final float[] MEAN_RGB = {117.001f, 114.697f, 97.404f};
  /** The LeakyReLU slope face-api uses ({@code leaky.ts}: 0.10000000149011612, i.e. 0.1f). */
  static final float LEAKY_ALPHA = 0.1f;

  private TinyFaceDetectorGraph() {}

  static OnnxGraphWriter build(TfjsWeights weights) {
    OnnxGraphWriter graph = new OnnxGraphWriter("tiny_face_detector");
    graph.input(INPUT, "N", 3, "S", "S");
    OnnxNetBuilder net = new OnnxNetBuilder(graph);

    TfjsWeights.Tensor conv0 = weights.get("conv0/filters", 4);
    String out = net.leakyRelu(net.conv(INPUT, conv0, weights.get("conv0/bias", 1).values(), null, null,
        1, OnnxNetBuilder.NO_PADS, "conv0"), LEAKY_ALPHA);
    for (int layer = 1; layer <= 5; layer++) {
      out = net.maxPoolSameUpper(out, 2, 2);
      out = net.leakyRelu(net.separableConv(out, weights, "conv" + layer, 1, OnnxNetBuilder.SAME_3X3), LEAKY_ALPHA);
    }
    out = net.maxPoolSameUpper(out, 2, 1);
    for (String optional : new String[] {"conv6", "conv7"}) {
      if (weights.has(optional + "/depthwise_filter")) {
        out = net.leakyRelu(net.separableConv(out, weights, optional, 1, OnnxNetBuilder.SAME_3X3), LEAKY_ALPHA);
      }
    }
    TfjsWeights.Tensor conv8 = weights.get("conv8/filters", 4);
    String grid = net.conv(out, conv8, weights.get("conv8/bias", 1).values(), null, null,
        1, OnnxNetBuilder.NO_PADS, "conv8");
    graph.node("Identity", new String[] {grid}, new String[] {OUTPUT}, null);
    graph.output(OUTPUT, "N", conv8.dim(3), "G", "G");
    return graph;
  }
}
