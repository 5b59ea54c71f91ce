package io.siamesestreams.faces.convert;

import io.siamesestreams.onnx.OnnxGraphWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * Convolutional-net building blocks on top of {@link OnnxGraphWriter}, taking weights in
 * TensorFlow.js layout and writing them in ONNX layout. Tensors are NCHW.
 *
 * <p>Each method adds nodes and returns the name of its output tensor. Weight layouts:
 * TensorFlow conv filters are [kh, kw, in, out] and become ONNX [out, in, kh, kw]; depthwise
 * filters [kh, kw, C, 1] become [C, 1, kh, kw] with {@code group = C}; dense matrices stay [in, out]
 * (MatMul). Padding arrays are ONNX {@code pads}: [top, left, bottom, right].
 */
final class OnnxNetBuilder {

  static final long[] NO_PADS = {0, 0, 0, 0};
  static final long[] SAME_3X3 = {1, 1, 1, 1};
  /** TensorFlow "same" for a 3×3 kernel at stride 2 on an even size: the one extra row/column goes bottom/right. */
  static final long[] SAME_3X3_STRIDE2_EVEN = {0, 0, 1, 1};

  private final OnnxGraphWriter graph;
  private final Map<String, Integer> counters = new HashMap<>();

  OnnxNetBuilder(OnnxGraphWriter graph) {
    this.graph = graph;
  }

  OnnxGraphWriter graph() {
    return graph;
  }

  /** A fresh tensor name {@code prefix_k}. */
  String name(String prefix) {
    int k = counters.merge(prefix, 1, Integer::sum);
    return prefix + "_" + k;
  }

  /**
   * Conv with optional bias; filters in TensorFlow layout [kh, kw, in, out].
   *
   * @param outputScale per-output-channel factor folded into the weights and bias (null for none):
   *     computes {@code (conv(x, W) + bias) · scale + shift} as {@code conv(x, W · scale) + (bias · scale + shift)}
   * @param outputShift per-output-channel shift added after the scale (null for none)
   */
  String conv(String input, TfjsWeights.Tensor filters, float[] bias, float[] outputScale, float[] outputShift,
      int stride, long[] pads, String label) {
    int kh = filters.dim(0);
    int kw = filters.dim(1);
    int in = filters.dim(2);
    int out = filters.dim(3);
    float[] src = filters.values();
    float[] w = new float[src.length];
    for (int o = 0; o < out; o++) {
      float s = outputScale == null ? 1f : outputScale[o];
      for (int i = 0; i < in; i++) {
        for (int y = 0; y < kh; y++) {
          for (int x = 0; x < kw; x++) {
            float v = src[((y * kw + x) * in + i) * out + o];
            w[((o * in + i) * kh + y) * kw + x] = outputScale == null ? v : v * s;
          }
        }
      }
    }
    float[] b = new float[out];
    for (int o = 0; o < out; o++) {
      float value = bias == null ? 0f : bias[o];
      if (outputScale != null) {
        value *= outputScale[o];
      }
      if (outputShift != null) {
        value += outputShift[o];
      }
      b[o] = value;
    }
    String weightName = label + "/W";
    String biasName = label + "/B";
    graph.initializer(weightName, w, out, in, kh, kw);
    graph.initializer(biasName, b, out);
    String output = name(label);
    graph.node("Conv", new String[] {input, weightName, biasName}, new String[] {output}, Map.of(
        "kernel_shape", new long[] {kh, kw},
        "strides", new long[] {stride, stride},
        "pads", pads));
    return output;
  }

  /** Depthwise conv (no bias); filters in TensorFlow layout [kh, kw, C, 1]. */
  String depthwise(String input, TfjsWeights.Tensor filters, int stride, long[] pads, String label) {
    int kh = filters.dim(0);
    int kw = filters.dim(1);
    int channels = filters.dim(2);
    if (filters.dim(3) != 1) {
      throw new IllegalArgumentException(filters.name() + ": depthwise multiplier must be 1, was " + filters.dim(3));
    }
    float[] src = filters.values();
    float[] w = new float[src.length];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < kh; y++) {
        for (int x = 0; x < kw; x++) {
          w[(c * kh + y) * kw + x] = src[(y * kw + x) * channels + c];
        }
      }
    }
    String weightName = label + "/W";
    graph.initializer(weightName, w, channels, 1, kh, kw);
    String output = name(label);
    graph.node("Conv", new String[] {input, weightName}, new String[] {output}, Map.of(
        "kernel_shape", new long[] {kh, kw},
        "strides", new long[] {stride, stride},
        "pads", pads,
        "group", (long) channels));
    return output;
  }

  /**
   * TensorFlow's {@code separableConv2d} followed by a bias add: depthwise 3×3 (stride, pads), then
   * pointwise 1×1 [1, 1, C, out] with the bias.
   */
  String separableConv(String input, TfjsWeights weights, String prefix, int stride, long[] pads) {
    String depthwise = depthwise(input, weights.get(prefix + "/depthwise_filter", 4), stride, pads, prefix + "/depthwise");
    return conv(depthwise, weights.get(prefix + "/pointwise_filter", 4), weights.get(prefix + "/bias", 1).values(),
        null, null, 1, NO_PADS, prefix + "/pointwise");
  }

  String relu(String input) {
    String output = name("relu");
    graph.node("Relu", new String[] {input}, new String[] {output}, null);
    return output;
  }

  String leakyRelu(String input, float alpha) {
    String output = name("leaky");
    graph.node("LeakyRelu", new String[] {input}, new String[] {output}, Map.of("alpha", alpha));
    return output;
  }

  String add(String a, String b) {
    String output = name("add");
    graph.node("Add", new String[] {a, b}, new String[] {output}, null);
    return output;
  }

  String maxPool(String input, int kernel, int stride, long[] pads) {
    String output = name("maxpool");
    graph.node("MaxPool", new String[] {input}, new String[] {output}, Map.of(
        "kernel_shape", new long[] {kernel, kernel},
        "strides", new long[] {stride, stride},
        "pads", pads));
    return output;
  }

  /** MaxPool with TensorFlow's "same" padding, which puts any odd padding at the bottom/right. */
  String maxPoolSameUpper(String input, int kernel, int stride) {
    String output = name("maxpool");
    graph.node("MaxPool", new String[] {input}, new String[] {output}, Map.of(
        "kernel_shape", new long[] {kernel, kernel},
        "strides", new long[] {stride, stride},
        "auto_pad", "SAME_UPPER"));
    return output;
  }

  String averagePool(String input, int kernel, int stride) {
    String output = name("avgpool");
    graph.node("AveragePool", new String[] {input}, new String[] {output}, Map.of(
        "kernel_shape", new long[] {kernel, kernel},
        "strides", new long[] {stride, stride}));
    return output;
  }

  /**
   * Zero padding of an NCHW tensor.
   *
   * @param padsBeginEnd ONNX Pad order: [n0, c0, h0, w0, n1, c1, h1, w1]
   */
  String zeroPad(String input, long[] padsBeginEnd) {
    String padsName = name("pads");
    graph.initializerInt64(padsName, padsBeginEnd, padsBeginEnd.length);
    String output = name("pad");
    graph.node("Pad", new String[] {input, padsName}, new String[] {output}, Map.of("mode", "constant"));
    return output;
  }

  /** [N, C, 1, 1] or any [N, ...] → [N, rest]. */
  String flatten(String input) {
    String output = name("flatten");
    graph.node("Flatten", new String[] {input}, new String[] {output}, Map.of("axis", 1L));
    return output;
  }

  String globalAveragePool(String input) {
    String output = name("gap");
    graph.node("GlobalAveragePool", new String[] {input}, new String[] {output}, null);
    return output;
  }

  /** x [N, in] · W [in, out] (+ bias), writing to {@code output}. */
  String dense(String input, TfjsWeights.Tensor matrix, float[] bias, String output) {
    String weightName = matrix.name() + "/W";
    graph.initializer(weightName, matrix.values(), matrix.dim(0), matrix.dim(1));
    if (bias == null) {
      graph.node("MatMul", new String[] {input, weightName}, new String[] {output}, null);
      return output;
    }
    String product = name("matmul");
    graph.node("MatMul", new String[] {input, weightName}, new String[] {product}, null);
    String biasName = matrix.name() + "/B";
    graph.initializer(biasName, bias, bias.length);
    graph.node("Add", new String[] {product, biasName}, new String[] {output}, null);
    return output;
  }
}
