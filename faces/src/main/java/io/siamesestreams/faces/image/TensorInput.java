package io.siamesestreams.faces.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * face-api's input preparation, reproduced for parity: pad an RGB image with zeros to a square,
 * resize it bilinearly to {@code size × size} as TensorFlow.js's {@code resizeBilinear} does with
 * {@code alignCorners = false} and {@code halfPixelCenters = false}, and normalise each channel as
 * {@code (p − meanRgb[c]) / divisor}, written NCHW (channel-major) into a float buffer.
 *
 * <p>The padded square has side s = max(W, H). With {@link Padding#BOTTOM_RIGHT} the image sits at
 * its top-left corner (face-api's detector); with {@link Padding#CENTERED} it is offset by
 * floor((s − W) / 2) or floor((s − H) / 2) (face-api's {@code padToSquare(…, true)}). Resampling:
 * for output index d the source coordinate is {@code d · s / size}, interpolated between floor and
 * ceil (clamped to s − 1) in double precision, rounded once to float.
 */
public final class TensorInput {

  /** Where the zero padding goes. */
  public enum Padding {
    BOTTOM_RIGHT,
    CENTERED
  }

  private TensorInput() {}

  /** A direct native-order buffer for {@code images} inputs of 3 × size × size floats. */
  public static FloatBuffer allocate(int images, int size) {
    return ByteBuffer.allocateDirect(images * 3 * size * size * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** Padding offset (x, y) of the image inside its square of side max(W, H). */
  public static int[] offset(RgbImage image, Padding padding) {
    int side = Math.max(image.width(), image.height());
    if (padding == Padding.BOTTOM_RIGHT) {
      return new int[] {0, 0};
    }
    return new int[] {(side - image.width()) / 2, (side - image.height()) / 2};
  }

  /**
   * Appends 3 × size × size floats for {@code image} at {@code dst}'s position.
   *
   * @param meanRgb per-channel mean on the 0..255 scale
   * @param divisor the mean-subtracted values are divided by this (face-api: 255)
   */
  public static void put(RgbImage image, Padding padding, int size, float[] meanRgb, float divisor, FloatBuffer dst) {
    int side = Math.max(image.width(), image.height());
    int[] off = offset(image, padding);
    int[] lo = new int[size];
    int[] hi = new int[size];
    double[] frac = new double[size];
    grid(side, size, lo, hi, frac);
    float[] out = new float[3 * size * size];
    int plane = size * size;
    for (int y = 0; y < size; y++) {
      int top = lo[y] - off[1];
      int bottom = hi[y] - off[1];
      double fy = frac[y];
      for (int x = 0; x < size; x++) {
        int left = lo[x] - off[0];
        int right = hi[x] - off[0];
        double fx = frac[x];
        for (int c = 0; c < 3; c++) {
          double tl = pixel(image, left, top, c);
          double tr = pixel(image, right, top, c);
          double bl = pixel(image, left, bottom, c);
          double br = pixel(image, right, bottom, c);
          double upper = tl + (tr - tl) * fx;
          double lower = bl + (br - bl) * fx;
          float value = (float) (upper + (lower - upper) * fy);
          // face-api: tf.sub(x, mean) then .div(255), each rounded to float32.
          out[c * plane + y * size + x] = (value - meanRgb[c]) / divisor;
        }
      }
    }
    dst.put(out);
  }

  private static double pixel(RgbImage image, int x, int y, int c) {
    if (x < 0 || y < 0 || x >= image.width() || y >= image.height()) {
      return 0;
    }
    return image.sample(x, y, c);
  }

  private static void grid(int in, int out, int[] lo, int[] hi, double[] frac) {
    double ratio = (double) in / out;
    for (int d = 0; d < out; d++) {
      double source = ratio * d;
      int floor = Math.max(0, (int) Math.floor(source));
      lo[d] = floor;
      hi[d] = Math.min(in - 1, (int) Math.ceil(source));
      frac[d] = source - floor;
    }
  }
}
