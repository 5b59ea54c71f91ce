package io.siamesestreams.trainer.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST from the Debian package {@code dataset-fashion-mnist}: idx files (optionally gzipped)
 * under {@link #DEFAULT_DIRECTORY}. 28×28 grey images, 10 classes.
 *
 * <p>Files: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte} (60,000 images) and
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte} (10,000 images), each either plain
 * or with a {@code .gz} suffix (the plain file wins when both exist).
 */
public final class FashionMnist {
  public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

  /** Class names by label, as published with the dataset. */
  public static final java.util.List<String> CLASS_NAMES =
      java.util.List.of(
          "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
          "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  public enum Split {
    TRAIN("train"),
    TEST("t10k");

    private final String filePrefix;

    Split(String filePrefix) {
      this.filePrefix = filePrefix;
    }

    /** File name prefix: {@code train} or {@code t10k}. */
    public String filePrefix() {
      return filePrefix;
    }
  }

  private FashionMnist() {}

  /** Loads one split from {@link #DEFAULT_DIRECTORY}. */
  public static LabeledImages load(Split split) {
    return load(DEFAULT_DIRECTORY, split);
  }

  /**
   * Loads one split.
   *
   * @throws DatasetNotFoundException when the files are missing; its message says how to install them
   * @throws UncheckedIOException when a file exists but cannot be read or is not a valid idx file
   */
  public static LabeledImages load(Path directory, Split split) {
    Path imagesFile = find(directory, split.filePrefix() + "-images-idx3-ubyte");
    Path labelsFile = find(directory, split.filePrefix() + "-labels-idx1-ubyte");
    try {
      IdxReader.IdxImages images = IdxReader.readImages(imagesFile);
      int[] labels = IdxReader.readLabels(labelsFile);
      if (labels.length != images.count()) {
        throw new IOException(
            imagesFile + " holds " + images.count() + " images but " + labelsFile + " holds " + labels.length + " labels");
      }
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] >= CLASS_NAMES.size()) {
          throw new IOException(labelsFile + ": label " + labels[i] + " at index " + i + " is not a Fashion-MNIST class");
        }
      }
      return LabeledImages.ofRaw(images.pixels(), images.columns(), images.rows(), 1, labels, CLASS_NAMES);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  private static Path find(Path directory, String baseName) {
    Path plain = directory.resolve(baseName);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    Path gzipped = directory.resolve(baseName + ".gz");
    if (Files.isRegularFile(gzipped)) {
      return gzipped;
    }
    throw new DatasetNotFoundException(notFoundMessage(directory));
  }

  /** The message of the {@link DatasetNotFoundException} thrown for {@code directory}. */
  public static String notFoundMessage(Path directory) {
    return "Fashion-MNIST not found in " + directory
        + ": install it with `sudo apt-get install dataset-fashion-mnist` or pass --data DIR";
  }
}
