package io.siamesestreams.trainer;

import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.preprocess.InvalidImageException;
import io.siamesestreams.trainer.data.LabeledImages;
import java.nio.FloatBuffer;

/**
 * Fills batch buffers with preprocessed images. When the whole set fits in {@value #CACHE_BUDGET_FLOATS}
 * floats, each image is preprocessed once and kept (decoding JPEGs every step would cost more than the step).
 */
final class BatchLoader {
  /** 256 MiB of floats. */
  static final long CACHE_BUDGET_FLOATS = 64L * 1024 * 1024;

  private final LabeledImages images;
  private final ImagePreprocessor preprocessor;
  private final int floatsPerImage;
  private final float[][] cache;
  private final FloatBuffer one;

  BatchLoader(LabeledImages images, ImagePreprocessor preprocessor) {
    this.images = images;
    this.preprocessor = preprocessor;
    this.floatsPerImage = preprocessor.floatsPerImage();
    boolean fits = (long) images.size() * floatsPerImage <= CACHE_BUDGET_FLOATS;
    this.cache = fits ? new float[images.size()][] : null;
    this.one = preprocessor.allocate(1);
  }

  int floatsPerImage() {
    return floatsPerImage;
  }

  /** Writes the images at {@code indices} into {@code batch} from position 0; leaves the position at 0. */
  void load(int[] indices, FloatBuffer batch) {
    batch.clear();
    for (int index : indices) {
      if (cache == null) {
        put(index, batch);
      } else {
        float[] pixels = cache[index];
        if (pixels == null) {
          one.clear();
          put(index, one);
          pixels = new float[floatsPerImage];
          one.get(0, pixels);
          cache[index] = pixels;
        }
        batch.put(pixels);
      }
    }
    batch.flip();
  }

  private void put(int index, FloatBuffer dst) {
    try {
      images.putImage(index, preprocessor, dst);
    } catch (InvalidImageException e) {
      throw new IllegalStateException("image " + index + " cannot be decoded: " + e.getMessage(), e);
    }
  }
}
