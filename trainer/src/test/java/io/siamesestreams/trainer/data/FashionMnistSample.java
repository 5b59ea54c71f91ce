package io.siamesestreams.trainer.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Fashion-MNIST sample committed at {@code data/fashion-mnist-sample} (1,500 train and 1,000
 * test images, 150 and 100 per class; see its README.md), so that tests need no installed dataset.
 */
public final class FashionMnistSample {
  /** Train images per class in the sample. */
  public static final int TRAIN_PER_CLASS = 150;
  /** Test images per class in the sample. */
  public static final int TEST_PER_CLASS = 100;

  private static final Path RELATIVE = Path.of("data", "fashion-mnist-sample");

  private FashionMnistSample() {}

  /** The sample directory, found from the working directory (the module's or the repository root). */
  public static Path directory() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve(RELATIVE))) {
        return dir.resolve(RELATIVE);
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(RELATIVE + " not found above " + Path.of("").toAbsolutePath());
  }

  /** One split of the sample. */
  public static LabeledImages load(FashionMnist.Split split) {
    return FashionMnist.load(directory(), split);
  }
}
