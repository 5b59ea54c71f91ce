package io.siamesestreams.faces.align;

import io.siamesestreams.faces.image.RgbImage;
import io.siamesestreams.faces.landmark.FaceLandmarks;

/**
 * Warps a face into a square chip with the two eye centres at fixed positions, by the similarity
 * transform (rotation, uniform scale, translation) that maps the image's eye centres onto them,
 * sampling bilinearly.
 *
 * <p>Coordinates are pixel-edge coordinates (pixel i's centre is i + 0.5). Chip pixel (u, v) takes
 * the image value at {@code T⁻¹(u + 0.5, v + 0.5)}, interpolated between the four nearest pixel
 * centres; positions outside the image take the nearest edge pixel. Values are rounded to 8 bits.
 * The default chip is 150 × 150 with the eye on the image's left at (46, 47) and the other at
 * (104, 47), which suits dlib's face descriptor.
 */
public final class FaceAligner {

  public static final int DEFAULT_SIZE = 150;
  public static final double[] DEFAULT_LEFT_EYE = {46, 47};
  public static final double[] DEFAULT_RIGHT_EYE = {104, 47};

  private final int size;
  private final double[] leftEye;
  private final double[] rightEye;

  /** The default 150 × 150 chip with eyes at (46, 47) and (104, 47). */
  public FaceAligner() {
    this(DEFAULT_SIZE, DEFAULT_LEFT_EYE, DEFAULT_RIGHT_EYE);
  }

  /**
   * @param size chip side in pixels
   * @param leftEye where the eye on the image's left lands in the chip, {x, y}
   * @param rightEye where the other eye lands, {x, y}; must differ from {@code leftEye}
   */
  public FaceAligner(int size, double[] leftEye, double[] rightEye) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1, was " + size);
    }
    if (leftEye[0] == rightEye[0] && leftEye[1] == rightEye[1]) {
      throw new IllegalArgumentException("the two eye positions must differ");
    }
    this.size = size;
    this.leftEye = leftEye.clone();
    this.rightEye = rightEye.clone();
  }

  public int size() {
    return size;
  }

  /** The chip of the face whose landmarks (in {@code image}'s pixels) are given. */
  public RgbImage align(RgbImage image, FaceLandmarks landmarks) {
    return align(image, landmarks.leftEyeCentre(), landmarks.rightEyeCentre());
  }

  /**
   * The chip mapping {@code imageLeftEye} → the chip's left eye position and {@code imageRightEye}
   * → its right eye position.
   */
  public RgbImage align(RgbImage image, double[] imageLeftEye, double[] imageRightEye) {
    // Inverse transform chip → image: p_img = imageLeftEye + A · (p_chip − leftEye), A = s·R(θ).
    double chipDx = rightEye[0] - leftEye[0];
    double chipDy = rightEye[1] - leftEye[1];
    double imgDx = imageRightEye[0] - imageLeftEye[0];
    double imgDy = imageRightEye[1] - imageLeftEye[1];
    double chipLength2 = chipDx * chipDx + chipDy * chipDy;
    // A is the complex ratio (imgD / chipD): [a −b; b a].
    double a = (imgDx * chipDx + imgDy * chipDy) / chipLength2;
    double b = (imgDy * chipDx - imgDx * chipDy) / chipLength2;
    if (a == 0 && b == 0) {
      throw new IllegalArgumentException("the two eye centres in the image coincide");
    }
    byte[] src = image.rgb();
    int w = image.width();
    int h = image.height();
    int stride = w * 3;
    byte[] out = new byte[size * size * 3];
    int o = 0;
    for (int v = 0; v < size; v++) {
      double cy = v + 0.5 - leftEye[1];
      for (int u = 0; u < size; u++) {
        double cx = u + 0.5 - leftEye[0];
        // Bilinear sample at centre coordinates (x, y), clamped to the image.
        double x = Math.min(Math.max(imageLeftEye[0] + a * cx - b * cy - 0.5, 0), w - 1);
        double y = Math.min(Math.max(imageLeftEye[1] + b * cx + a * cy - 0.5, 0), h - 1);
        int x0 = (int) x;
        int y0 = (int) y;
        int right = x0 + 1 < w ? 3 : 0;
        int below = y0 + 1 < h ? stride : 0;
        double fx = x - x0;
        double fy = y - y0;
        int p = y0 * stride + x0 * 3;
        for (int c = 0; c < 3; c++, p++) {
          int topLeft = src[p] & 0xFF;
          int bottomLeft = src[p + below] & 0xFF;
          double top = topLeft + fx * ((src[p + right] & 0xFF) - topLeft);
          double bottom = bottomLeft + fx * ((src[p + below + right] & 0xFF) - bottomLeft);
          // Half up, as Math.round for these non-negative values, without its cost in this loop.
          out[o++] = (byte) (int) (top + fy * (bottom - top) + 0.5);
        }
      }
    }
    return new RgbImage(size, size, out);
  }
}
