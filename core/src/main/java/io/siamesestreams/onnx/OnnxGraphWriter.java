package io.siamesestreams.onnx;

import java.nio.file.Path;
import java.util.Map;

/**
 * Builds a small ONNX model (opset {@value #OPSET}) with the generated protobuf classes
 * {@code ai.onnx.proto.OnnxMl} from tribuo-util-onnx, for the operators the project's encoders and
 * heads use: Conv, BatchNormalization, Relu, MaxPool, AveragePool, Flatten, Gemm, MatMul, Add, Sub,
 * Mul, Div, Abs, Sigmoid, ReduceL2, Pad, Concat, Reshape, Transpose, Clip, LeakyRelu.
 *
 * <p>Dimensions are given as longs; a negative value or a name in {@code symbolicDims} declares a
 * symbolic dimension (the batch dimension is always symbolic, named {@code "N"}). Float tensors
 * are stored as raw little-endian data.
 *
 * <pre>{@code
 * OnnxGraphWriter g = new OnnxGraphWriter("encoder");
 * g.input("image", "N", 1, 28, 28);
 * g.initializer("w", weights, 8, 1, 3, 3);
 * g.node("Conv", new String[] {"image", "w"}, new String[] {"c1"}, Map.of("pads", new long[] {1, 1, 1, 1}));
 * g.output("embedding", "N", 64);
 * g.write(path);
 * }</pre>
 */
public final class OnnxGraphWriter {

  public static final int OPSET = 13;

  /** @param graphName the graph's name inside the model */
  public OnnxGraphWriter(String graphName) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Declares a float input. {@code dims} elements are {@link Long}/{@link Integer} (fixed) or
   * {@link String} (symbolic, e.g. "N").
   */
  public OnnxGraphWriter input(String name, Object... dims) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Declares a float output; dims as in {@link #input}. */
  public OnnxGraphWriter output(String name, Object... dims) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Adds a float constant (weights). {@code data.length} must equal the product of {@code dims}. */
  public OnnxGraphWriter initializer(String name, float[] data, long... dims) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Adds an int64 constant (e.g. shapes for Reshape, axes). */
  public OnnxGraphWriter initializerInt64(String name, long[] data, long... dims) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Adds a node. Attribute values may be Long/Integer, Float/Double, String, long[], float[].
   *
   * @return this
   */
  public OnnxGraphWriter node(String opType, String[] inputs, String[] outputs, Map<String, Object> attributes) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Sets a metadata property stored in the model (e.g. producer details). */
  public OnnxGraphWriter metadata(String key, String value) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Serialises the model. */
  public byte[] toBytes() {
    throw new UnsupportedOperationException("TODO");
  }

  /** Writes the model to {@code file}. */
  public void write(Path file) {
    throw new UnsupportedOperationException("TODO");
  }
}
