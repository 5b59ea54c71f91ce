package io.siamesestreams.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxGraphWriterTest {

  private static final int BATCH = 3;
  private static final int SIDE = 6;
  private static final int FILTERS = 2;
  private static final int POOLED = SIDE / 2;
  private static final int FLAT = FILTERS * POOLED * POOLED;
  private static final int DIM = 4;

  @TempDir Path dir;

  @Test
  void shouldWriteACnnEncoderThatOnnxRuntimeRunsLikeTheJavaReference() throws Exception {
    Random random = new Random(7);
    float[] convW = randoms(random, FILTERS * 9);
    float[] convB = randoms(random, FILTERS);
    float[] gemmW = randoms(random, DIM * FLAT);
    float[] gemmB = randoms(random, DIM);
    Path file = dir.resolve("cnn.onnx");
    new OnnxGraphWriter("cnn")
        .input("image", "N", 1, SIDE, SIDE)
        .initializer("conv_w", convW, FILTERS, 1, 3, 3)
        .initializer("conv_b", convB, FILTERS)
        .initializer("fc_w", gemmW, DIM, FLAT)
        .initializer("fc_b", gemmB, DIM)
        .node("Conv", new String[] {"image", "conv_w", "conv_b"}, new String[] {"c1"},
            Map.of("kernel_shape", new long[] {3, 3}, "pads", new long[] {1, 1, 1, 1}))
        .node("Relu", new String[] {"c1"}, new String[] {"r1"}, Map.of())
        .node("MaxPool", new String[] {"r1"}, new String[] {"p1"},
            Map.of("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2}))
        .node("Flatten", new String[] {"p1"}, new String[] {"f1"}, Map.of("axis", 1L))
        .node("Gemm", new String[] {"f1", "fc_w", "fc_b"}, new String[] {"g1"}, Map.of("transB", 1L))
        .node("ReduceL2", new String[] {"g1"}, new String[] {"norm"},
            Map.of("axes", new long[] {1}, "keepdims", 1L))
        .node("Div", new String[] {"g1", "norm"}, new String[] {"embedding"}, null)
        .output("embedding", "N", DIM)
        .metadata("producer.detail", "unit test")
        .write(file);

    float[] images = randoms(random, BATCH * SIDE * SIDE);
    float[] actual = run(file, Map.of("image", images), new long[] {BATCH, 1, SIDE, SIDE}, "embedding");

    for (int n = 0; n < BATCH; n++) {
      float[] expected = referenceCnn(images, n, convW, convB, gemmW, gemmB);
      for (int k = 0; k < DIM; k++) {
        assertThat(actual[n * DIM + k]).as("image %d, component %d", n, k).isCloseTo(expected[k], within(1e-5f));
      }
    }
  }

  @Test
  void shouldDeclareASymbolicBatchDimensionAndTheDeclaredShapes() throws Exception {
    Path file = dir.resolve("identity.onnx");
    new OnnxGraphWriter("identity")
        .input("x", "N", 2, 5)
        .node("Relu", new String[] {"x"}, new String[] {"y"}, Map.of())
        .output("y", -1L, 2, 5)
        .write(file);

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(file.toString(), options)) {
      TensorInfo in = (TensorInfo) session.getInputInfo().get("x").getInfo();
      TensorInfo out = (TensorInfo) session.getOutputInfo().get("y").getInfo();
      assertThat(in.getShape()).containsExactly(-1, 2, 5);
      assertThat(in.getDimensionNames()[0]).isEqualTo("N");
      assertThat(out.getShape()).containsExactly(-1, 2, 5);
      assertThat(out.getDimensionNames()[0]).isEqualTo("N");
    }
    OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
    assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(OnnxGraphWriter.OPSET);
    assertThat(model.getIrVersion()).isEqualTo(OnnxGraphWriter.IR_VERSION);
  }

  @Test
  void shouldWriteAPairHeadThatOnnxRuntimeRunsLikeTheFormula() throws Exception {
    Random random = new Random(11);
    int d = 5;
    float[] w = randoms(random, d);
    float bias = 0.3f;
    Path file = dir.resolve("head.onnx");
    new OnnxGraphWriter("head")
        .input("left", "N", d)
        .input("right", "N", d)
        .initializer("w", w, d, 1)
        .initializer("b", new float[] {bias}, 1)
        .node("Sub", new String[] {"left", "right"}, new String[] {"diff"}, Map.of())
        .node("Abs", new String[] {"diff"}, new String[] {"absdiff"}, Map.of())
        .node("MatMul", new String[] {"absdiff", "w"}, new String[] {"logit0"}, Map.of())
        .node("Add", new String[] {"logit0", "b"}, new String[] {"logit"}, Map.of())
        .node("Sigmoid", new String[] {"logit"}, new String[] {"probability"}, Map.of())
        .output("probability", "N", 1)
        .write(file);

    float[] left = randoms(random, BATCH * d);
    float[] right = randoms(random, BATCH * d);
    float[] actual = run(file, Map.of("left", left, "right", right), new long[] {BATCH, d}, "probability");

    assertThat(actual).hasSize(BATCH);
    for (int n = 0; n < BATCH; n++) {
      double logit = bias;
      for (int k = 0; k < d; k++) {
        logit += w[k] * Math.abs(left[n * d + k] - right[n * d + k]);
      }
      assertThat((double) actual[n]).isCloseTo(1 / (1 + Math.exp(-logit)), within(1e-6));
    }
  }

  @Test
  void shouldWriteInt64InitializersForReshape() throws Exception {
    Path file = dir.resolve("reshape.onnx");
    new OnnxGraphWriter("reshape")
        .input("x", "N", 2, 3)
        .initializerInt64("shape", new long[] {-1, 6}, 2)
        .node("Reshape", new String[] {"x", "shape"}, new String[] {"y"}, Map.of())
        .output("y", "N", 6)
        .write(file);

    float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    assertThat(run(file, Map.of("x", x), new long[] {2, 2, 3}, "y")).containsExactly(x);
  }

  @Test
  void shouldRejectAnInitializerWhoseDataDoesNotMatchItsDims() {
    OnnxGraphWriter writer = new OnnxGraphWriter("bad");
    assertThatThrownBy(() -> writer.initializer("w", new float[5], 2, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("w")
        .hasMessageContaining("6");
  }

  @Test
  void shouldRejectAnUnsupportedAttributeType() {
    OnnxGraphWriter writer = new OnnxGraphWriter("bad");
    assertThatThrownBy(() -> writer.node("Relu", new String[] {"x"}, new String[] {"y"}, Map.of("odd", new Object())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("odd");
  }

  /** Runs {@code file} with every input of the same {@code shape}; returns the flat output. */
  private static float[] run(Path file, Map<String, float[]> inputs, long[] shape, String output) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(file.toString(), options)) {
      Map<String, OnnxTensor> tensors = new java.util.HashMap<>();
      try {
        for (Map.Entry<String, float[]> input : inputs.entrySet()) {
          tensors.put(input.getKey(), OnnxTensor.createTensor(env, direct(input.getValue()), shape));
        }
        try (OrtSession.Result result = session.run(tensors)) {
          OnnxTensor out = (OnnxTensor) result.get(output).orElseThrow();
          FloatBuffer values = out.getFloatBuffer();
          float[] flat = new float[values.remaining()];
          values.get(flat);
          return flat;
        }
      } finally {
        for (OnnxTensor tensor : tensors.values()) {
          tensor.close();
        }
      }
    }
  }

  private static FloatBuffer direct(float[] values) {
    FloatBuffer buffer = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    buffer.put(values).flip();
    return buffer;
  }

  private static float[] randoms(Random random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian() * 0.5f;
    }
    return values;
  }

  /** Conv 3×3 pad 1 → ReLU → MaxPool 2×2 → Flatten → Gemm (W [DIM, FLAT]) → L2 normalise. */
  private static float[] referenceCnn(float[] images, int n, float[] convW, float[] convB, float[] gemmW, float[] gemmB) {
    int offset = n * SIDE * SIDE;
    double[][][] conv = new double[FILTERS][SIDE][SIDE];
    for (int f = 0; f < FILTERS; f++) {
      for (int y = 0; y < SIDE; y++) {
        for (int x = 0; x < SIDE; x++) {
          double sum = convB[f];
          for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 3; kx++) {
              int iy = y + ky - 1;
              int ix = x + kx - 1;
              if (iy >= 0 && iy < SIDE && ix >= 0 && ix < SIDE) {
                sum += convW[f * 9 + ky * 3 + kx] * images[offset + iy * SIDE + ix];
              }
            }
          }
          conv[f][y][x] = Math.max(0, sum);
        }
      }
    }
    double[] flat = new double[FLAT];
    for (int f = 0; f < FILTERS; f++) {
      for (int y = 0; y < POOLED; y++) {
        for (int x = 0; x < POOLED; x++) {
          flat[f * POOLED * POOLED + y * POOLED + x] = Math.max(
              Math.max(conv[f][2 * y][2 * x], conv[f][2 * y][2 * x + 1]),
              Math.max(conv[f][2 * y + 1][2 * x], conv[f][2 * y + 1][2 * x + 1]));
        }
      }
    }
    double[] g = new double[DIM];
    double norm = 0;
    for (int k = 0; k < DIM; k++) {
      g[k] = gemmB[k];
      for (int i = 0; i < FLAT; i++) {
        g[k] += gemmW[k * FLAT + i] * flat[i];
      }
      norm += g[k] * g[k];
    }
    norm = Math.sqrt(norm);
    float[] out = new float[DIM];
    for (int k = 0; k < DIM; k++) {
      out[k] = (float) (g[k] / norm);
    }
    return out;
  }
}
