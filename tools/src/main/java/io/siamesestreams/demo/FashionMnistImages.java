package io.siamesestreams.demo;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST images and labels read from the gzipped IDX files ({@code
 * train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz}, {@code t10k-…}): 28×28 8-bit
 * grey images (row-major, 0 = background) and labels 0–9. The demo's own small reader, so the
 * streams module needs nothing from the trainer.
 *
 * @param pixels one 784-byte array per image
 * @param labels the class of each image, 0–9
 */
public record FashionMnistImages(List<byte[]> pixels, int[] labels) {

  /** Where Debian's {@code dataset-fashion-mnist} installs the whole dataset. */
  public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

  /**
   * The sample committed to the repository (1,500 train and 1,000 test images, the first of each
   * class in file order; provenance and licence in its README), relative to the checkout root.
   */
  public static final Path SAMPLE_DIRECTORY = Path.of("data/fashion-mnist-sample");
  public static final int SIZE = 28;
  public static final int CLASSES = 10;

  /** Class names in label order. */
  public static final List<String> CLASS_NAMES =
      List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  /** Identity ids for the classes, in label order. */
  public static final List<String> IDENTITY_IDS =
      List.of("tshirt-top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot");

  private static final int IMAGES_MAGIC = 0x00000803;
  private static final int LABELS_MAGIC = 0x00000801;

  /**
   * Reads at most {@code limit} images of the {@code train} or {@code t10k} split from {@code
   * directory}.
   */
  public static FashionMnistImages read(Path directory, String split, int limit) {
    Path imagesFile = directory.resolve(split + "-images-idx3-ubyte.gz");
    Path labelsFile = directory.resolve(split + "-labels-idx1-ubyte.gz");
    int[] labels = readLabels(labelsFile, limit);
    List<byte[]> pixels = readImages(imagesFile, labels.length);
    return new FashionMnistImages(pixels, labels);
  }

  /** The committed sample, located under the checkout this code was built in. */
  public static Path sampleDirectory() {
    return CheckoutFiles.locate(SAMPLE_DIRECTORY);
  }

  /**
   * The dataset to read when none is named: the installed dataset ({@link #DEFAULT_DIRECTORY}) when
   * it is there, else the committed sample ({@link #sampleDirectory()}).
   */
  public static Path defaultDirectory() {
    return Files.isRegularFile(DEFAULT_DIRECTORY.resolve("t10k-labels-idx1-ubyte.gz")) ? DEFAULT_DIRECTORY : sampleDirectory();
  }

  public int size() {
    return labels.length;
  }

  private static int[] readLabels(Path file, int limit) {
    try (DataInputStream in = open(file)) {
      int magic = in.readInt();
      if (magic != LABELS_MAGIC) {
        throw new IllegalArgumentException(file + " is not an IDX label file (magic " + Integer.toHexString(magic) + ")");
      }
      int count = Math.min(in.readInt(), limit);
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = in.readUnsignedByte();
      }
      return labels;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static List<byte[]> readImages(Path file, int count) {
    try (DataInputStream in = open(file)) {
      int magic = in.readInt();
      if (magic != IMAGES_MAGIC) {
        throw new IllegalArgumentException(file + " is not an IDX image file (magic " + Integer.toHexString(magic) + ")");
      }
      int available = in.readInt();
      int rows = in.readInt();
      int columns = in.readInt();
      if (rows != SIZE || columns != SIZE || available < count) {
        throw new IllegalArgumentException(file + ": expected ≥ " + count + " images of 28×28, found "
            + available + " of " + rows + "×" + columns);
      }
      byte[][] images = new byte[count][SIZE * SIZE];
      for (byte[] image : images) {
        in.readFully(image);
      }
      return List.of(images);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("Fashion-MNIST file not found: " + file + " (install the whole dataset with"
          + " `apt-get install dataset-fashion-mnist`, or use the repository's sample " + SAMPLE_DIRECTORY + ")");
    }
    InputStream raw = Files.newInputStream(file);
    return new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16));
  }
}
