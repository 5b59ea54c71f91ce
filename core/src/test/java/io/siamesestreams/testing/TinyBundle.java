package io.siamesestreams.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.json.Json;
import io.siamesestreams.onnx.OnnxGraphWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A real, tiny model bundle for tests: encoder {@code image [N,1,8,8] → Flatten → Gemm (W [4,64],
 * transB) → x / ||x||₂ → embedding [N,4]} and head {@code p = σ(|left − right| · w + b)} with
 * {@code w [4,1]}, written with {@link OnnxGraphWriter}, plus Java re-computations of both.
 */
public final class TinyBundle {
  public static final int SIDE = 8;
  public static final int DIM = 4;
  public static final String INPUT = "image";
  public static final String OUTPUT = "embedding";
  public static final String LEFT = "left";
  public static final String RIGHT = "right";
  public static final String PROBABILITY = "probability";
  public static final double THRESHOLD = 0.8;
  public static final float HEAD_BIAS = 0.25f;

  private TinyBundle() {}

  /** Gemm weights [DIM, C·H·W] for an encoder of the given input size, deterministic. */
  public static float[] gemmWeights(int flat, int dim) {
    return randoms(1234L + flat * 31L + dim, dim * flat, 0.3f);
  }

  public static float[] gemmBias(int dim) {
    return randoms(99L + dim, dim, 0.1f);
  }

  public static float[] headWeights(int dim, int outputs) {
    return randoms(77L + dim * 7L + outputs, dim * outputs, 1.0f);
  }

  /** A valid manifest for the tiny bundle, with or without head. */
  public static ModelManifest manifest(boolean withHead) {
    return new ModelManifest(
        ModelManifest.FORMAT_VERSION,
        "tiny-test",
        "v1",
        Instant.parse("2026-01-02T03:04:05Z"),
        new ModelManifest.Input(INPUT, ModelManifest.Layout.NCHW, 1, SIDE, SIDE, ModelManifest.ColorMode.GRAY,
            ModelManifest.ResizePolicy.EXACT, new float[] {0.5f}, new float[] {0.25f}),
        new ModelManifest.Output(OUTPUT, DIM, true),
        new ModelManifest.Distance(ModelManifest.Metric.SQUARED_L2, "sum_k (a_k - b_k)^2"),
        new ModelManifest.Decision(THRESHOLD, 0.01, "synthetic"),
        new ModelManifest.Head(withHead, withHead ? LEFT : null, withHead ? RIGHT : null,
            withHead ? PROBABILITY : null, "sigmoid(sum_k w_k |a_k - b_k| + b)"),
        new ModelManifest.Provenance("synthetic", List.of(), "triplet", "semi-hard", 0.2, 1, 1L,
            "flatten-gemm-l2", Map.of("onnxruntime", "1.28.0"), Map.of("batch", 8)),
        Map.of("auc", 0.5));
  }

  /** Writes a complete valid bundle (manifest, encoder, head) into {@code dir}; returns {@code dir}. */
  public static Path write(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ModelBundle.writeManifest(dir, manifest(true));
    writeEncoder(dir.resolve(ModelManifest.ENCODER_FILE), INPUT, "N", 1, SIDE, SIDE, OUTPUT, DIM);
    writeHead(dir.resolve(ModelManifest.HEAD_FILE), LEFT, RIGHT, PROBABILITY, DIM, 1);
    return dir;
  }

  /**
   * Writes an encoder {@code input [batch, c, h, w] → Flatten → Gemm → L2 normalise → output [N, dim]}.
   *
   * @param batch {@code "N"} for a symbolic batch, or a number
   */
  public static void writeEncoder(Path file, String input, Object batch, int c, int h, int w, String output, int dim) {
    int flat = c * h * w;
    new OnnxGraphWriter("tiny-encoder")
        .input(input, batch, c, h, w)
        .initializer("fc_w", gemmWeights(flat, dim), dim, flat)
        .initializer("fc_b", gemmBias(dim), dim)
        .node("Flatten", new String[] {input}, new String[] {"flat"}, Map.of("axis", 1L))
        .node("Gemm", new String[] {"flat", "fc_w", "fc_b"}, new String[] {"fc"}, Map.of("transB", 1L))
        .node("ReduceL2", new String[] {"fc"}, new String[] {"norm"}, Map.of("axes", new long[] {1}, "keepdims", 1L))
        .node("Div", new String[] {"fc", "norm"}, new String[] {output}, Map.of())
        .output(output, batch, dim)
        .write(file);
  }

  /** Writes a head {@code σ(|left − right| · w [dim, outputs] + b)} with output [N, outputs]. */
  public static void writeHead(Path file, String left, String right, String output, int dim, int outputs) {
    float[] bias = new float[outputs];
    java.util.Arrays.fill(bias, HEAD_BIAS);
    new OnnxGraphWriter("tiny-head")
        .input(left, "N", dim)
        .input(right, "N", dim)
        .initializer("head_w", headWeights(dim, outputs), dim, outputs)
        .initializer("head_b", bias, outputs)
        .node("Sub", new String[] {left, right}, new String[] {"diff"}, Map.of())
        .node("Abs", new String[] {"diff"}, new String[] {"absdiff"}, Map.of())
        .node("MatMul", new String[] {"absdiff", "head_w"}, new String[] {"logit0"}, Map.of())
        .node("Add", new String[] {"logit0", "head_b"}, new String[] {"logit"}, Map.of())
        .node("Sigmoid", new String[] {"logit"}, new String[] {output}, Map.of())
        .output(output, "N", outputs)
        .write(file);
  }

  /** Applies {@code edit} to {@code dir/model.json} as a JSON tree and writes it back. */
  public static void editManifest(Path dir, Consumer<ObjectNode> edit) {
    Path file = dir.resolve(ModelManifest.FILE_NAME);
    try {
      ObjectNode root = (ObjectNode) Json.mapper().readTree(file.toFile());
      edit.accept(root);
      Files.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The default encoder computed in Java (double precision): one image of SIDE×SIDE floats → DIM floats. */
  public static double[] referenceEmbedding(float[] images, int offset) {
    int flat = SIDE * SIDE;
    float[] w = gemmWeights(flat, DIM);
    float[] b = gemmBias(DIM);
    double[] out = new double[DIM];
    double norm = 0;
    for (int k = 0; k < DIM; k++) {
      double sum = b[k];
      for (int i = 0; i < flat; i++) {
        sum += (double) w[k * flat + i] * images[offset + i];
      }
      out[k] = sum;
      norm += sum * sum;
    }
    norm = Math.sqrt(norm);
    for (int k = 0; k < DIM; k++) {
      out[k] /= norm;
    }
    return out;
  }

  /** The default head computed in Java: σ(Σ_k w_k |a_k − b_k| + b). */
  public static double referenceProbability(float[] a, int aOffset, float[] b, int bOffset) {
    float[] w = headWeights(DIM, 1);
    double logit = HEAD_BIAS;
    for (int k = 0; k < DIM; k++) {
      logit += w[k] * Math.abs((double) a[aOffset + k] - b[bOffset + k]);
    }
    return 1 / (1 + Math.exp(-logit));
  }

  public static float[] randoms(long seed, int n, float scale) {
    Random random = new Random(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian() * scale;
    }
    return values;
  }
}
