package io.siamesestreams.bench;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.onnx.OnnxGraphWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Randomly initialised (seeded, He-normal) model bundles of realistic cost, for benchmarking when no
 * trained bundle is at hand. Speed depends on shapes, not on weight values, so these time like
 * trained models of the same architecture; their matches mean nothing. No head ({@code head.onnx}).
 *
 * <ul>
 *   <li>{@link #writeSmallEncoder}: the trainer's default architecture on 28×28 grey images:
 *       conv3×3(32)-relu-maxpool2, conv3×3(64)-relu-maxpool2, fc 3136→128, relu, fc 128→64, L2
 *       normalisation; ≈ 4.2 M multiply-adds per image.
 *   <li>{@link #writeFaceSizeEncoder}: 150×150 RGB: conv3×3/2(32), conv3×3(48), maxpool2,
 *       conv3×3(128), maxpool2, conv3×3(256), maxpool2, conv3×3(128), global average pool, fc
 *       128→128, L2 normalisation; ≈ 276 M multiply-adds per image (a face descriptor's cost).
 * </ul>
 */
public final class BenchModels {

  /** Multiply-adds per image of {@link #writeSmallEncoder}'s encoder. */
  public static final long SMALL_ENCODER_MACS = 28L * 28 * 32 * 9 + 14L * 14 * 64 * 288 + 3136L * 128 + 128L * 64;
  /** Multiply-adds per image of {@link #writeFaceSizeEncoder}'s encoder. */
  public static final long FACE_ENCODER_MACS =
      74L * 74 * 32 * 27 + 74L * 74 * 48 * 288 + 37L * 37 * 128 * 432 + 18L * 18 * 256 * 1152
          + 9L * 9 * 128 * 2304 + 128L * 128;

  private BenchModels() {}

  /** Writes the 28×28 grey bundle (D = 64, squared L2) into {@code dir}; returns {@code dir}. */
  public static Path writeSmallEncoder(Path dir) {
    Random random = new Random(28);
    OnnxGraphWriter g = new OnnxGraphWriter("bench-small-encoder");
    g.input("image", OnnxGraphWriter.BATCH_DIM, 1, 28, 28);
    String x = conv(g, random, "image", "c1", 1, 32, 1, 1);
    x = pool(g, relu(g, x));
    x = conv(g, random, x, "c2", 32, 64, 1, 1);
    x = pool(g, relu(g, x));
    g.node("Flatten", new String[] {x}, new String[] {"flat"}, Map.of("axis", 1L));
    x = relu(g, gemm(g, random, "flat", "fc1", 64 * 7 * 7, 128));
    x = gemm(g, random, x, "fc2", 128, 64);
    normalise(g, x);
    g.output("embedding", OnnxGraphWriter.BATCH_DIM, 64);
    return write(dir, "bench-small", g, new ModelManifest.Input("image", ModelManifest.Layout.NCHW, 1, 28, 28,
        ModelManifest.ColorMode.GRAY, ModelManifest.ResizePolicy.EXACT, new float[] {0.5f}, new float[] {0.5f}),
        64, "conv3x3(32)-relu-maxpool2-conv3x3(64)-relu-maxpool2-fc128-relu-fc64-l2 (random init)");
  }

  /** Writes the 150×150 RGB bundle (D = 128, squared L2) into {@code dir}; returns {@code dir}. */
  public static Path writeFaceSizeEncoder(Path dir) {
    Random random = new Random(150);
    OnnxGraphWriter g = new OnnxGraphWriter("bench-face-size-encoder");
    g.input("image", OnnxGraphWriter.BATCH_DIM, 3, 150, 150);
    String x = relu(g, conv(g, random, "image", "c1", 3, 32, 2, 0));
    x = pool(g, relu(g, conv(g, random, x, "c2", 32, 48, 1, 1)));
    x = pool(g, relu(g, conv(g, random, x, "c3", 48, 128, 1, 1)));
    x = pool(g, relu(g, conv(g, random, x, "c4", 128, 256, 1, 1)));
    x = relu(g, conv(g, random, x, "c5", 256, 128, 1, 1));
    g.node("GlobalAveragePool", new String[] {x}, new String[] {"gap"}, null);
    g.node("Flatten", new String[] {"gap"}, new String[] {"flat"}, Map.of("axis", 1L));
    x = gemm(g, random, "flat", "fc", 128, 128);
    normalise(g, x);
    g.output("embedding", OnnxGraphWriter.BATCH_DIM, 128);
    return write(dir, "bench-face-size", g, new ModelManifest.Input("image", ModelManifest.Layout.NCHW, 3, 150, 150,
        ModelManifest.ColorMode.RGB, ModelManifest.ResizePolicy.EXACT, new float[] {0.5f, 0.5f, 0.5f},
        new float[] {0.25f, 0.25f, 0.25f}), 128,
        "conv3x3s2(32)-conv3x3(48)-pool-conv3x3(128)-pool-conv3x3(256)-pool-conv3x3(128)-gap-fc128-l2 (random init)");
  }

  private static Path write(Path dir, String modelId, OnnxGraphWriter encoder, ModelManifest.Input input,
      int dimension, String architecture) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    encoder.write(dir.resolve(ModelManifest.ENCODER_FILE));
    ModelBundle.writeManifest(dir, new ModelManifest(
        ModelManifest.FORMAT_VERSION, modelId, "random-init", Instant.parse("2026-11-28T00:00:00Z"), input,
        new ModelManifest.Output("embedding", dimension, true),
        new ModelManifest.Distance(ModelManifest.Metric.SQUARED_L2, "sum_k (a_k - b_k)^2"),
        new ModelManifest.Decision(0.5, 0.01, "not calibrated: random weights, for timing only"),
        new ModelManifest.Head(false, null, null, null, null),
        new ModelManifest.Provenance("none", List.of(), "none", null, null, 0, 0L, architecture, Map.of(), Map.of()),
        Map.of()));
    return dir;
  }

  private static String conv(OnnxGraphWriter g, Random random, String input, String name, int in, int out,
      int stride, int pad) {
    g.initializer(name + "_w", heNormal(random, out * in * 9, in * 9), out, in, 3, 3);
    g.initializer(name + "_b", new float[out], out);
    g.node("Conv", new String[] {input, name + "_w", name + "_b"}, new String[] {name},
        Map.of("kernel_shape", new long[] {3, 3}, "strides", new long[] {stride, stride},
            "pads", new long[] {pad, pad, pad, pad}));
    return name;
  }

  private static String gemm(OnnxGraphWriter g, Random random, String input, String name, int in, int out) {
    g.initializer(name + "_w", heNormal(random, out * in, in), out, in);
    g.initializer(name + "_b", new float[out], out);
    g.node("Gemm", new String[] {input, name + "_w", name + "_b"}, new String[] {name}, Map.of("transB", 1L));
    return name;
  }

  private static String relu(OnnxGraphWriter g, String input) {
    g.node("Relu", new String[] {input}, new String[] {input + "_relu"}, null);
    return input + "_relu";
  }

  private static String pool(OnnxGraphWriter g, String input) {
    g.node("MaxPool", new String[] {input}, new String[] {input + "_pool"},
        Map.of("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2}));
    return input + "_pool";
  }

  private static void normalise(OnnxGraphWriter g, String input) {
    g.node("ReduceL2", new String[] {input}, new String[] {"norm"}, Map.of("axes", new long[] {1}, "keepdims", 1L));
    g.node("Div", new String[] {input, "norm"}, new String[] {"embedding"}, null);
  }

  private static float[] heNormal(Random random, int count, int fanIn) {
    float[] w = new float[count];
    double std = Math.sqrt(2.0 / fanIn);
    for (int i = 0; i < count; i++) {
      w[i] = (float) (random.nextGaussian() * std);
    }
    return w;
  }
}
