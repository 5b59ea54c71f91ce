package io.siamesestreams.gateway.gate;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Sharpness of an image region: the variance of the Laplacian of its grey image (Pech-Pacheco et al.
 * 2000, the usual OpenCV blur check).
 *
 * <p>Grey = 0.299·R + 0.587·G + 0.114·B on 0..255; Laplacian = the 4-neighbour kernel
 * {@code [0 1 0; 1 -4 1; 0 1 0]} on interior pixels; result = population variance of those values.
 * Higher = sharper; a blurred copy of an image always scores lower than the image. A uniform
 * image scores 0. The value depends on content and scale, so thresholds are per camera.
 */
public final class Sharpness {

  private Sharpness() {}

  /** Variance of the Laplacian of the whole image (0 for an image under 3×3). */
  public static double of(BufferedImage image) {
    return of(image, 0, 0, image.getWidth(), image.getHeight());
  }

  /** Variance of the Laplacian over [x, x + w) × [y, y + h), clipped to the image. */
  public static double of(BufferedImage image, int x, int y, int w, int h) {
    int x0 = Math.max(0, x);
    int y0 = Math.max(0, y);
    int x1 = Math.min(image.getWidth(), x + w);
    int y1 = Math.min(image.getHeight(), y + h);
    int width = x1 - x0;
    int height = y1 - y0;
    if (width < 3 || height < 3) {
      return 0;
    }
    float[] grey = grey(image, x0, y0, width, height);
    double sum = 0;
    double sumSquares = 0;
    long n = 0;
    for (int row = 1; row < height - 1; row++) {
      int base = row * width;
      for (int col = 1; col < width - 1; col++) {
        int i = base + col;
        double laplacian = grey[i - 1] + grey[i + 1] + grey[i - width] + grey[i + width] - 4 * grey[i];
        sum += laplacian;
        sumSquares += laplacian * laplacian;
        n++;
      }
    }
    double mean = sum / n;
    return Math.max(0, sumSquares / n - mean * mean);
  }

  private static float[] grey(BufferedImage image, int x0, int y0, int width, int height) {
    float[] grey = new float[width * height];
    if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
        && image.getRaster().getDataBuffer() instanceof DataBufferByte buffer
        && image.getRaster().getSampleModelTranslateX() == 0 && image.getRaster().getSampleModelTranslateY() == 0) {
      byte[] bgr = buffer.getData();
      int stride = image.getWidth() * 3;
      for (int row = 0; row < height; row++) {
        int s = (y0 + row) * stride + x0 * 3;
        for (int col = 0; col < width; col++, s += 3) {
          grey[row * width + col] = 0.114f * (bgr[s] & 0xFF) + 0.587f * (bgr[s + 1] & 0xFF) + 0.299f * (bgr[s + 2] & 0xFF);
        }
      }
      return grey;
    }
    int[] argb = image.getRGB(x0, y0, width, height, null, 0, width);
    for (int i = 0; i < argb.length; i++) {
      int p = argb[i];
      grey[i] = 0.299f * (p >> 16 & 0xFF) + 0.587f * (p >> 8 & 0xFF) + 0.114f * (p & 0xFF);
    }
    return grey;
  }
}
