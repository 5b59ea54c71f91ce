package io.siamesestreams.testing;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.onnx.OnnxGraphWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A real model bundle for streams tests, small enough to build in a {@code @TempDir}, and the
 * images to feed it.
 *
 * <p>Encoder: {@code image [N,1,28,28]} (grey, x = (p/255 − 0.5)/0.5) → Flatten → MatMul with a
 * fixed seeded random matrix [784, {@value #DIMENSION}] → divide by the row's L2 norm →
 * {@code embedding [N,16]}. Head: {@code p = σ(Σ_k w_k |a_k − b_k| + b)} with every
 * {@code w_k = }{@value #HEAD_WEIGHT} and {@code b = }{@value #HEAD_BIAS}. Distance: squared L2,
 * threshold {@value #THRESHOLD}.
 *
 * <p>Images: {@link #identityImage(int, int)} draws identity {@code k}'s own random pattern plus
 * a little noise per variant, so two variants of one identity embed close together (squared
 * distance well under the threshold) and two identities far apart (about 2).
 */
public final class TestBundles {
  public static final int SIDE = 28;
  public static final int DIMENSION = 16;
  public static final String MODEL_ID = "test-siamese";
  public static final String MODEL_VERSION = "v1";
  public static final double THRESHOLD = 0.5;
  public static final float HEAD_WEIGHT = -3.0f;
  public static final float HEAD_BIAS = 2.0f;
  private static final long PROJECTION_SEED = 20261128L;

  private TestBundles() {}

  /** Writes the bundle (version {@value #MODEL_VERSION}, with head) into {@code dir}; returns {@code dir}. */
  public static Path write(Path dir) {
    return write(dir, MODEL_VERSION, true);
  }

  /** Writes the bundle with the given model version, with or without head; returns {@code dir}. */
  public static Path write(Path dir, String modelVersion, boolean withHead) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ModelBundle.writeManifest(dir, manifest(modelVersion, withHead));
    writeEncoder(dir.resolve(ModelManifest.ENCODER_FILE));
    if (withHead) {
      writeHead(dir.resolve(ModelManifest.HEAD_FILE));
    }
    return dir;
  }

  public static ModelManifest manifest(String modelVersion, boolean withHead) {
    return new ModelManifest(
        ModelManifest.FORMAT_VERSION,
        MODEL_ID,
        modelVersion,
        Instant.parse("2026-11-28T00:00:00Z"),
        new ModelManifest.Input("image", ModelManifest.Layout.NCHW, 1, SIDE, SIDE, ModelManifest.ColorMode.GRAY,
            ModelManifest.ResizePolicy.EXACT, new float[] {0.5f}, new float[] {0.5f}),
        new ModelManifest.Output("embedding", DIMENSION, true),
        new ModelManifest.Distance(ModelManifest.Metric.SQUARED_L2, "sum_k (a_k - b_k)^2"),
        new ModelManifest.Decision(THRESHOLD, 0.01, "synthetic test images"),
        new ModelManifest.Head(withHead, withHead ? "left" : null, withHead ? "right" : null,
            withHead ? "probability" : null, "sigmoid(sum_k w_k |a_k - b_k| + b)"),
        new ModelManifest.Provenance("synthetic", List.of(), "triplet", null, 0.2, 0, PROJECTION_SEED,
            "flatten-matmul-l2 (random projection)", Map.of(), Map.of()),
        Map.of());
  }

  /** The projection matrix [784, D], row-major. */
  public static float[] projection() {
    Random random = new Random(PROJECTION_SEED);
    float[] w = new float[SIDE * SIDE * DIMENSION];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (random.nextGaussian() / Math.sqrt(SIDE * SIDE));
    }
    return w;
  }

  private static void writeEncoder(Path file) {
    OnnxGraphWriter g = new OnnxGraphWriter("test-encoder");
    g.input("image", "N", 1, SIDE, SIDE);
    g.initializer("projection", projection(), SIDE * SIDE, DIMENSION);
    g.node("Flatten", new String[] {"image"}, new String[] {"flat"}, Map.of("axis", 1L));
    g.node("MatMul", new String[] {"flat", "projection"}, new String[] {"raw"}, null);
    g.node("ReduceL2", new String[] {"raw"}, new String[] {"norm"}, Map.of("axes", new long[] {1}, "keepdims", 1L));
    g.node("Div", new String[] {"raw", "norm"}, new String[] {"embedding"}, null);
    g.output("embedding", "N", DIMENSION);
    g.write(file);
  }

  private static void writeHead(Path file) {
    OnnxGraphWriter g = new OnnxGraphWriter("test-head");
    g.input("left", "N", DIMENSION);
    g.input("right", "N", DIMENSION);
    float[] weights = new float[DIMENSION];
    java.util.Arrays.fill(weights, HEAD_WEIGHT);
    g.initializer("w", weights, DIMENSION, 1);
    g.initializer("b", new float[] {HEAD_BIAS}, 1);
    g.node("Sub", new String[] {"left", "right"}, new String[] {"diff"}, null);
    g.node("Abs", new String[] {"diff"}, new String[] {"absdiff"}, null);
    g.node("MatMul", new String[] {"absdiff", "w"}, new String[] {"logit0"}, null);
    g.node("Add", new String[] {"logit0", "b"}, new String[] {"logit"}, null);
    g.node("Sigmoid", new String[] {"logit"}, new String[] {"probability"}, null);
    g.output("probability", "N", 1);
    g.write(file);
  }

  /** Identity {@code identity}'s image number {@code variant}, 28×28 grey pixels (row-major). */
  public static int[] identityPixels(int identity, int variant) {
    Random pattern = new Random(1_000L + identity);
    Random noise = new Random(1_000_000L + identity * 1_000L + variant);
    int[] pixels = new int[SIDE * SIDE];
    for (int i = 0; i < pixels.length; i++) {
      int base = pattern.nextInt(256);
      pixels[i] = Math.max(0, Math.min(255, base + noise.nextInt(31) - 15));
    }
    return pixels;
  }

  /** PNG bytes of identity {@code identity}'s image number {@code variant}. */
  public static byte[] identityImage(int identity, int variant) {
    return png(identityPixels(identity, variant), SIDE, SIDE);
  }

  /** Base64 of {@link #identityImage(int, int)}. */
  public static String identityImageBase64(int identity, int variant) {
    return Base64.getEncoder().encodeToString(identityImage(identity, variant));
  }

  /** A grey PNG of the given size and pixels (row-major, 0–255). */
  public static byte[] png(int[] pixels, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setPixels(0, 0, width, height, pixels);
    return png(image);
  }

  /** {@code image} encoded as PNG. */
  public static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A uniform grey PNG of another size (e.g. to provoke WRONG_IMAGE_SIZE). */
  public static byte[] greyPng(int width, int height) {
    int[] pixels = new int[width * height];
    java.util.Arrays.fill(pixels, 128);
    return png(pixels, width, height);
  }
}
