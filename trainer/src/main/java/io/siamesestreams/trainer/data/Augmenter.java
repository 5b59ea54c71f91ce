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
      if (!mirror && dx == 0 && dy == 0) {
        continue;
      }
      for (int c = 0; c < channels; c++) {
        transformPlane(batch, (image * channels + c) * height * width, c, mirror, dx, dy);
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
