package io.siamesestreams.trainer.data;

import java.nio.file.Path;

/**
 * The image-folder layout: {@code root/<identity>/<image>.{png,jpg,jpeg}}, one folder per identity;
 * folder names become class names (sorted). Files are kept encoded and decoded by the preprocessor.
 */
public final class ImageFolderDataset {
  private ImageFolderDataset() {}

  /**
   * @throws DatasetNotFoundException when {@code root} is missing or holds no identity folder with images
   */
  public static LabeledImages load(Path root) {
    throw new UnsupportedOperationException("TODO");
  }
}
