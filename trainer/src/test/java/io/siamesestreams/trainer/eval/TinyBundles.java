package io.siamesestreams.trainer.eval;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.onnx.OnnxGraphWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Real model bundles small enough for unit tests: an encoder that flattens a 28×28 grey image,
 * normalises pixels with Fashion-MNIST's mean and std, multiplies by a fixed Gaussian matrix
 * ({@value #PIXELS}×{@value #DIMENSION}) and L2-normalises; optionally the head
 * {@code σ(Σ_k w_k |a_k − b_k| + b)} as Sub→Abs→MatMul→Add→Sigmoid with all {@code w_k = }{@value #HEAD_WEIGHT}
 * and {@code b = }{@value #HEAD_BIAS}.
 */
final class TinyBundles {
  static final int SIDE = 28;
  static final int PIXELS = SIDE * SIDE;
  static final int DIMENSION = 16;
  static final float MEAN = 0.286f;
  static final float STD = 0.353f;
  static final float HEAD_WEIGHT = -3f;
  static final float HEAD_BIAS = 3f;
  static final List<String> HELD_OUT = List.of("Sneaker", "Bag");

  private TinyBundles() {}

  /** The projection matrix, row-major [PIXELS, DIMENSION]. */
  static float[] projection() {
    Random random = new Random(2024);
    float[] w = new float[PIXELS * DIMENSION];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) random.nextGaussian();
    }
    return w;
  }

  /** Writes and loads a bundle in {@code dir} with the given squared-L2 threshold. */
  static ModelBundle randomProjection(Path dir, boolean withHead, double threshold) {
    new OnnxGraphWriter("encoder")
        .input("image", "N", 1, SIDE, SIDE)
        .initializer("projection", projection(), PIXELS, DIMENSION)
        .node("Flatten", new String[] {"image"}, new String[] {"flat"}, Map.of("axis", 1L))
        .node("MatMul", new String[] {"flat", "projection"}, new String[] {"projected"}, Map.of())
        .node("ReduceL2", new String[] {"projected"}, new String[] {"norm"},
            Map.of("axes", new long[] {1}, "keepdims", 1L))
        .node("Div", new String[] {"projected", "norm"}, new String[] {"embedding"}, Map.of())
        .output("embedding", "N", DIMENSION)
        .write(dir.resolve(ModelManifest.ENCODER_FILE));
    ModelManifest.Head head = null;
    if (withHead) {
      float[] weights = new float[DIMENSION];
      java.util.Arrays.fill(weights, HEAD_WEIGHT);
      new OnnxGraphWriter("head")
          .input("left", "N", DIMENSION)
          .input("right", "N", DIMENSION)
          .initializer("w", weights, DIMENSION, 1)
          .initializer("b", new float[] {HEAD_BIAS}, 1)
          .node("Sub", new String[] {"left", "right"}, new String[] {"diff"}, Map.of())
          .node("Abs", new String[] {"diff"}, new String[] {"absdiff"}, Map.of())
          .node("MatMul", new String[] {"absdiff", "w"}, new String[] {"weighted"}, Map.of())
          .node("Add", new String[] {"weighted", "b"}, new String[] {"logit"}, Map.of())
          .node("Sigmoid", new String[] {"logit"}, new String[] {"probability"}, Map.of())
          .output("probability", "N", 1)
          .write(dir.resolve(ModelManifest.HEAD_FILE));
      head = new ModelManifest.Head(true, "left", "right", "probability", "p = sigmoid(sum_k w_k |a_k - b_k| + b)");
    }
    ModelManifest manifest =
        new ModelManifest(
            ModelManifest.FORMAT_VERSION,
            "test-random-projection",
            "0.0.1",
            Instant.parse("2026-01-01T00:00:00Z"),
            new ModelManifest.Input(
                "image",
                ModelManifest.Layout.NCHW,
                1,
                SIDE,
                SIDE,
                ModelManifest.ColorMode.GRAY,
                ModelManifest.ResizePolicy.EXACT,
                new float[] {MEAN},
                new float[] {STD}),
            new ModelManifest.Output("embedding", DIMENSION, true),
            new ModelManifest.Distance(ModelManifest.Metric.SQUARED_L2, "sum_k (a_k - b_k)^2"),
            new ModelManifest.Decision(threshold, 0.01, "test fixture"),
            head,
            new ModelManifest.Provenance(
                "fashion-mnist", HELD_OUT, "triplet", "semi-hard", 0.2, 0, 7L,
                "random projection 784x16, L2-normalised", Map.of(), Map.of()),
            Map.of());
    ModelBundle.writeManifest(dir, manifest);
    return ModelBundle.load(dir);
  }
}
