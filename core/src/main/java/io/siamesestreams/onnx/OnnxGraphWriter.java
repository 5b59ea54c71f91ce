package io.siamesestreams.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
 * <p>Concretely, {@link #input} and {@link #output} take each dimension as a {@link Long} or
 * {@link Integer} (fixed size), a {@link String} (symbolic, e.g. {@code "N"}) or a negative number
 * (symbolic: named {@code "N"} in position 0, unnamed elsewhere). The model has IR version
 * {@value #IR_VERSION} and imports the default domain at opset {@value #OPSET}. The writer does
 * not check operator semantics; ONNX Runtime does when it opens the model.
 *
 * <pre>{@code
 * OnnxGraphWriter g = new OnnxGraphWriter("encoder");
 * g.input("image", "N", 1, 28, 28);
 * g.initializer("w", weights, 8, 1, 3, 3);
 * g.node("Conv", new String[] {"image", "w"}, new String[] {"c1"}, Map.of("pads", new long[] {1, 1, 1, 1}));
 * g.output("embedding", "N", 64);
 * g.write(path);
 * }</pre>
 *
 * <p>Not thread-safe; build one model per instance.
 */
public final class OnnxGraphWriter {

  public static final int OPSET = 13;
  /** ONNX IR version written into the model (IR 7 pairs with opset 13). */
  public static final int IR_VERSION = 7;
  /** The name given to a symbolic batch dimension declared with a negative number. */
  public static final String BATCH_DIM = "N";

  private static final String PRODUCER = "siamese-streams";

  private final OnnxMl.GraphProto.Builder graph;
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private int nodeCount;

  /** @param graphName the graph's name inside the model */
  public OnnxGraphWriter(String graphName) {
    this.graph = OnnxMl.GraphProto.newBuilder().setName(Objects.requireNonNull(graphName, "graphName"));
  }

  /**
   * Declares a float input. {@code dims} elements are {@link Long}/{@link Integer} (fixed) or
   * {@link String} (symbolic, e.g. "N").
   */
  public OnnxGraphWriter input(String name, Object... dims) {
    graph.addInput(floatValueInfo(name, dims));
    return this;
  }

  /** Declares a float output; dims as in {@link #input}. */
  public OnnxGraphWriter output(String name, Object... dims) {
    graph.addOutput(floatValueInfo(name, dims));
    return this;
  }

  /** Adds a float constant (weights). {@code data.length} must equal the product of {@code dims}. */
  public OnnxGraphWriter initializer(String name, float[] data, long... dims) {
    checkElementCount(name, data.length, dims);
    ByteBuffer raw = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(data);
    graph.addInitializer(tensor(name, OnnxMl.TensorProto.DataType.FLOAT, raw, dims));
    return this;
  }

  /** Adds an int64 constant (e.g. shapes for Reshape, axes). */
  public OnnxGraphWriter initializerInt64(String name, long[] data, long... dims) {
    checkElementCount(name, data.length, dims);
    ByteBuffer raw = ByteBuffer.allocate(data.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(data);
    graph.addInitializer(tensor(name, OnnxMl.TensorProto.DataType.INT64, raw, dims));
    return this;
  }

  /**
   * Adds a node. Attribute values may be Long/Integer, Float/Double, String, long[], float[].
   * ({@code int[]} and {@code String[]} are accepted too.) Attributes are written in name order so
   * that the same graph always serialises to the same bytes.
   *
   * @param attributes may be null or empty
   * @return this
   */
  public OnnxGraphWriter node(String opType, String[] inputs, String[] outputs, Map<String, Object> attributes) {
    OnnxMl.NodeProto.Builder node = OnnxMl.NodeProto.newBuilder()
        .setOpType(Objects.requireNonNull(opType, "opType"))
        .setName(opType + "_" + nodeCount++);
    for (String input : inputs) {
      node.addInput(input);
    }
    for (String output : outputs) {
      node.addOutput(output);
    }
    if (attributes != null) {
      for (Map.Entry<String, Object> attribute : new TreeMap<>(attributes).entrySet()) {
        node.addAttribute(attribute(opType, attribute.getKey(), attribute.getValue()));
      }
    }
    graph.addNode(node);
    return this;
  }

  /** Sets a metadata property stored in the model (e.g. producer details). */
  public OnnxGraphWriter metadata(String key, String value) {
    metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Serialises the model. */
  public byte[] toBytes() {
    return model().toByteArray();
  }

  /** Writes the model to {@code file}. */
  public void write(Path file) {
    try {
      Files.write(file, toBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write ONNX model " + file, e);
    }
  }

  private OnnxMl.ModelProto model() {
    OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName(PRODUCER)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(graph.build());
    metadata.forEach((key, value) ->
        model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
    return model.build();
  }

  private static OnnxMl.ValueInfoProto floatValueInfo(String name, Object[] dims) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    for (int i = 0; i < dims.length; i++) {
      shape.addDim(dimension(name, i, dims[i]));
    }
    OnnxMl.TypeProto.Tensor.Builder tensorType = OnnxMl.TypeProto.Tensor.newBuilder()
        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
        .setShape(shape);
    return OnnxMl.ValueInfoProto.newBuilder()
        .setName(Objects.requireNonNull(name, "name"))
        .setType(OnnxMl.TypeProto.newBuilder().setTensorType(tensorType))
        .build();
  }

  private static OnnxMl.TensorShapeProto.Dimension dimension(String tensor, int index, Object dim) {
    OnnxMl.TensorShapeProto.Dimension.Builder d = OnnxMl.TensorShapeProto.Dimension.newBuilder();
    if (dim instanceof String symbolic) {
      return d.setDimParam(symbolic).build();
    }
    if (dim instanceof Long || dim instanceof Integer) {
      long value = ((Number) dim).longValue();
      if (value >= 0) {
        return d.setDimValue(value).build();
      }
      return index == 0 ? d.setDimParam(BATCH_DIM).build() : d.build();
    }
    throw new IllegalArgumentException(
        "dimension " + index + " of " + tensor + " must be a Long, Integer or String, was " + dim);
  }

  private static OnnxMl.TensorProto tensor(
      String name, OnnxMl.TensorProto.DataType type, ByteBuffer littleEndianData, long[] dims) {
    OnnxMl.TensorProto.Builder tensor = OnnxMl.TensorProto.newBuilder()
        .setName(Objects.requireNonNull(name, "name"))
        .setDataType(type.getNumber())
        .setRawData(ByteString.copyFrom(littleEndianData.array()));
    for (long dim : dims) {
      tensor.addDims(dim);
    }
    return tensor.build();
  }

  private static void checkElementCount(String name, int length, long[] dims) {
    long expected = 1;
    for (long dim : dims) {
      if (dim < 0) {
        throw new IllegalArgumentException("initializer " + name + " has a negative dimension " + dim);
      }
      expected *= dim;
    }
    if (expected != length) {
      throw new IllegalArgumentException(
          "initializer " + name + " has " + length + " elements but its dims need " + expected);
    }
  }

  private static OnnxMl.AttributeProto attribute(String opType, String name, Object value) {
    OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name);
    if (value instanceof Long || value instanceof Integer) {
      a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(((Number) value).longValue());
    } else if (value instanceof Float || value instanceof Double) {
      a.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(((Number) value).floatValue());
    } else if (value instanceof String s) {
      a.setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
    } else if (value instanceof long[] longs) {
      a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
      for (long l : longs) {
        a.addInts(l);
      }
    } else if (value instanceof int[] ints) {
      a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
      for (int i : ints) {
        a.addInts(i);
      }
    } else if (value instanceof float[] floats) {
      a.setType(OnnxMl.AttributeProto.AttributeType.FLOATS);
      for (float f : floats) {
        a.addFloats(f);
      }
    } else if (value instanceof String[] strings) {
      a.setType(OnnxMl.AttributeProto.AttributeType.STRINGS);
      List<ByteString> bytes = new ArrayList<>(strings.length);
      for (String s : strings) {
        bytes.add(ByteString.copyFromUtf8(s));
      }
      a.addAllStrings(bytes);
    } else {
      throw new IllegalArgumentException("attribute " + name + " of " + opType
          + " has an unsupported type: " + (value == null ? "null" : value.getClass().getName()));
    }
    return a.build();
  }
}
