package io.siamesestreams.trainer.data;

import java.nio.file.Path;

/**
 * Fashion-MNIST from the Debian package {@code dataset-fashion-mnist}: idx files (optionally gzipped)
 * under {@link #DEFAULT_DIRECTORY}. 28×28 grey images, 10 classes.
 */
public final class FashionMnist {
  public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

  /** Class names by label, as published with the dataset. */
  public static final java.util.List<String> CLASS_NAMES =
      java.util.List.of(
          "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
          "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  public enum Split {
    TRAIN,
    TEST
  }

  private FashionMnist() {}

  /**
   * Loads one split.
   *
   * @throws DatasetNotFoundException when the files are missing; its message says how to install them
   */
  public static LabeledImages load(Path directory, Split split) {
    throw new UnsupportedOperationException("TODO");
  }
}
