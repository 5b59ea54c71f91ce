package io.siamesestreams.trainer.data;

import java.nio.FloatBuffer;
import java.util.Random;

/**
 * Seeded training-time augmentation of preprocessed images, in place on the C×H×W float tensor
 * (channel-major, as {@link io.siamesestreams.preprocess.ImagePreprocessor} writes it).
 *
 * <p>For each image independently: with {@code flip}, a horizontal mirror with probability ½; then a
 * shift by (dx, dy), each drawn uniformly from {@code [−maxShift, maxShift]}. Pixels shifted in from
 * outside the image take the background value of their channel: the fixed value given to the
 * constructor, or by default the channel's minimum over that image (for Fashion-MNIST, where the
 * background is black, the normalised value of pixel 0).
 *
 * <p>With {@link #withErasing} (random erasing, Zhong et al. 2017), after the shift and with the given
 * probability, a rectangle of area 2–25 % of the image and aspect ratio 0.3–3.3 at a uniformly random
 * place is set to 0 in every channel (0 is the training mean after normalisation).
 *
 * <p>Not thread-safe (shares the Random). The same Random seed and calls give the same result.
 */
public final class Augmenter {
  private final int channels;
  private final int height;
  private final int width;
  private final int maxShift;
  private final boolean flip;
  private final Random random;
  private final float[] background;
  private final float[] scratch;
  private float erasing;

  /** Minimum and maximum erased area as a fraction of the image. */
  static final double ERASE_MIN_AREA = 0.02;
  static final double ERASE_MAX_AREA = 0.25;
  /** Largest aspect ratio (height / width or its inverse) of the erased rectangle. */
  static final double ERASE_MAX_ASPECT = 3.3;

  /** Augmenter whose background is, per image and channel, the channel's minimum value. */
  public Augmenter(int channels, int height, int width, int maxShift, boolean flip, Random random) {
    this(channels, height, width, maxShift, flip, random, null);
  }

  /**
   * @param background per-channel fill value for shifted-in pixels (length {@code channels}), or
   *     null for each image's per-channel minimum
   */
  public Augmenter(
      int channels, int height, int width, int maxShift, boolean flip, Random random, float[] background) {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException("channels, height and width must be positive");
    }
    if (maxShift < 0) {
      throw new IllegalArgumentException("maxShift must be ≥ 0, got " + maxShift);
    }
    if (background != null && background.length != channels) {
      throw new IllegalArgumentException("background needs " + channels + " values, got " + background.length);
    }
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.maxShift = maxShift;
    this.flip = flip;
    this.random = random;
    this.background = background == null ? null : background.clone();
    this.scratch = new float[height * width];
  }

  /**
   * Turns random erasing on for later {@link #apply} calls.
   *
   * @param probability chance in [0, 1] that an image gets one erased rectangle
   * @return this
   */
  public Augmenter withErasing(float probability) {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("erasing probability must be in [0, 1], got " + probability);
    }
    this.erasing = probability;
    return this;
  }

  /** Floats one image occupies: C×H×W. */
  public int floatsPerImage() {
    return channels * height * width;
  }

  /**
   * Augments, in place, the {@code count} images stored from absolute index 0 of {@code batch}
   * (image i at {@code [i·C·H·W, (i+1)·C·H·W)}). The buffer's position and limit are not changed.
   */
  public void apply(FloatBuffer batch, int count) {
    int floats = floatsPerImage();
    if ((long) count * floats > batch.capacity()) {
      throw new IllegalArgumentException(
          count + " images need " + ((long) count * floats) + " floats, buffer holds " + batch.capacity());
    }
    for (int image = 0; image < count; image++) {
      boolean mirror = flip && random.nextBoolean();
      int dx = maxShift == 0 ? 0 : random.nextInt(2 * maxShift + 1) - maxShift;
      int dy = maxShift == 0 ? 0 : random.nextInt(2 * maxShift + 1) - maxShift;
      if (mirror || dx != 0 || dy != 0) {
        for (int c = 0; c < channels; c++) {
          transformPlane(batch, (image * channels + c) * height * width, c, mirror, dx, dy);
        }
      }
      if (erasing > 0 && random.nextFloat() < erasing) {
        erase(batch, image);
      }
    }
  }

  private void erase(FloatBuffer batch, int image) {
    double area = height * width * (ERASE_MIN_AREA + random.nextDouble() * (ERASE_MAX_AREA - ERASE_MIN_AREA));
    double logAspect = Math.log(ERASE_MAX_ASPECT);
    double aspect = Math.exp((2 * random.nextDouble() - 1) * logAspect);
    int h = Math.max(1, Math.min(height, (int) Math.round(Math.sqrt(area * aspect))));
    int w = Math.max(1, Math.min(width, (int) Math.round(Math.sqrt(area / aspect))));
    int top = random.nextInt(height - h + 1);
    int left = random.nextInt(width - w + 1);
    for (int c = 0; c < channels; c++) {
      int offset = (image * channels + c) * height * width;
      for (int y = top; y < top + h; y++) {
        for (int x = left; x < left + w; x++) {
          batch.put(offset + y * width + x, 0f);
        }
      }
    }
  }

  /** Output pixel (y, x) = input pixel (y − dy, x' − dx), x' mirrored when asked; outside → background. */
  private void transformPlane(FloatBuffer batch, int offset, int channel, boolean mirror, int dx, int dy) {
    int plane = height * width;
    float fill = Float.POSITIVE_INFINITY;
    for (int j = 0; j < plane; j++) {
      scratch[j] = batch.get(offset + j);
      fill = Math.min(fill, scratch[j]);
    }
    if (background != null) {
      fill = background[channel];
    }
    for (int y = 0; y < height; y++) {
      int sy = y - dy;
      for (int x = 0; x < width; x++) {
        int sx = x - dx;
        float value;
        if (sy < 0 || sy >= height || sx < 0 || sx >= width) {
          value = fill;
        } else {
          value = scratch[sy * width + (mirror ? width - 1 - sx : sx)];
        }
        batch.put(offset + y * width + x, value);
      }
    }
  }
}
