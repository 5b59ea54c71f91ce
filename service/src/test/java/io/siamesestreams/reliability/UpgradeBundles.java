package io.siamesestreams.reliability;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.onnx.OnnxGraphWriter;
import io.siamesestreams.testing.TestBundles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * A second version of the {@link TestBundles} model for the upgrade scenario: same manifest, input,
 * output, threshold and head, but version {@value #VERSION} and <em>another</em> random projection
 * (seed {@value #SEED}). So a frame embedded by this version lies about 2 (squared L2) away from the
 * first version's template of the same image: comparing across versions would turn every genuine
 * MATCH into a NO_MATCH, which is what the scenario watches for.
 */
final class UpgradeBundles {

  static final String VERSION = "v2";
  private static final long SEED = 777_2026L;
  private static final int SIDE = TestBundles.SIDE;
  private static final int DIMENSION = TestBundles.DIMENSION;

  private UpgradeBundles() {}

  /** Writes version {@value #VERSION} (with head) into {@code dir}; returns {@code dir}. */
  static Path writeVersionTwo(Path dir) {
    // The head of version 1 is version-independent: copy it from a version-1 bundle written alongside.
    Path v1 = TestBundles.write(dir.resolveSibling(dir.getFileName() + "-v1-head"));
    try {
      Files.createDirectories(dir);
      Files.copy(v1.resolve(ModelManifest.HEAD_FILE), dir.resolve(ModelManifest.HEAD_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ModelBundle.writeManifest(dir, TestBundles.manifest(VERSION, true));
    Random random = new Random(SEED);
    float[] projection = new float[SIDE * SIDE * DIMENSION];
    for (int i = 0; i < projection.length; i++) {
      projection[i] = (float) (random.nextGaussian() / Math.sqrt(SIDE * SIDE));
    }
    OnnxGraphWriter g = new OnnxGraphWriter("test-encoder-v2");
    g.input("image", "N", 1, SIDE, SIDE);
    g.initializer("projection", projection, SIDE * SIDE, DIMENSION);
    g.node("Flatten", new String[] {"image"}, new String[] {"flat"}, Map.of("axis", 1L));
    g.node("MatMul", new String[] {"flat", "projection"}, new String[] {"raw"}, null);
    g.node("ReduceL2", new String[] {"raw"}, new String[] {"norm"}, Map.of("axes", new long[] {1}, "keepdims", 1L));
    g.node("Div", new String[] {"raw", "norm"}, new String[] {"embedding"}, null);
    g.output("embedding", "N", DIMENSION);
    g.write(dir.resolve(ModelManifest.ENCODER_FILE));
    return dir;
  }
}
