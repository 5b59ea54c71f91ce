package io.siamesestreams.api;

import io.siamesestreams.testing.TestBundles;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The committed Fashion-MNIST sample ({@code data/fashion-mnist-sample}, test split) and the shipped
 * bundle ({@code models/fashion-mnist}), for the API's tests and latency measurement: the n-th image
 * of a class as PNG bytes.
 */
final class FashionMnistSamples {

  static final Path BUNDLE = checkout("models/fashion-mnist");
  static final int TROUSER = 1;
  static final int COAT = 4;
  static final int BAG = 8;
  static final int SNEAKER = 7;

  private static List<byte[]> pixels;
  private static int[] labels;

  private FashionMnistSamples() {}

  /** {@code relative} under the checkout (tests run in the module folder). */
  static Path checkout(String relative) {
    Path path = Path.of("..").resolve(relative).normalize();
    if (!Files.exists(path)) {
      throw new IllegalStateException("missing " + path.toAbsolutePath() + " (part of the checkout)");
    }
    return path;
  }

  /** PNG bytes of the {@code n}-th test image (0-based) of class {@code label}. */
  static synchronized byte[] png(int label, int n) {
    if (pixels == null) {
      read(checkout("data/fashion-mnist-sample"));
    }
    int seen = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == label && seen++ == n) {
        int[] grey = new int[28 * 28];
        for (int p = 0; p < grey.length; p++) {
          grey[p] = pixels.get(i)[p] & 0xff;
        }
        return TestBundles.png(grey, 28, 28);
      }
    }
    throw new IllegalArgumentException("the sample has fewer than " + (n + 1) + " images of class " + label);
  }

  private static void read(Path directory) {
    try (DataInputStream images = open(directory.resolve("t10k-images-idx3-ubyte.gz"));
        DataInputStream labelStream = open(directory.resolve("t10k-labels-idx1-ubyte.gz"))) {
      if (images.readInt() != 0x803 || labelStream.readInt() != 0x801) {
        throw new IllegalStateException("not IDX files in " + directory);
      }
      int count = images.readInt();
      images.readInt();
      images.readInt();
      labelStream.readInt();
      List<byte[]> all = new ArrayList<>(count);
      int[] allLabels = new int[count];
      for (int i = 0; i < count; i++) {
        byte[] image = new byte[28 * 28];
        images.readFully(image);
        all.add(image);
        allLabels[i] = labelStream.readUnsignedByte();
      }
      pixels = all;
      labels = allLabels;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream in = new GZIPInputStream(Files.newInputStream(file));
    return new DataInputStream(new java.io.BufferedInputStream(in));
  }
}
