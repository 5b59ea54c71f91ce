package io.siamesestreams.faces.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.util.Arrays;
import java.util.Objects;

/**
 * An 8-bit RGB image, pixels interleaved row by row ({@code rgb[(y · width + x) · 3 + c]}).
 *
 * <p>Coordinates used with it are continuous pixel-edge coordinates: pixel (i, j) covers
 * [i, i + 1) × [j, j + 1) and its centre is at (i + 0.5, j + 0.5).
 */
public record RgbImage(int width, int height, byte[] rgb) {

  public RgbImage {
    Objects.requireNonNull(rgb, "rgb");
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("image must be at least 1×1, was " + width + "×" + height);
    }
    if ((long) width * height * 3 != rgb.length) {
      throw new IllegalArgumentException(width + "×" + height + " RGB needs " + (long) width * height * 3
          + " bytes, has " + rgb.length);
    }
  }

  /**
   * The sRGB pixels of {@code image} as {@link BufferedImage#getRGB} reports them (alpha dropped).
   * The common decoded layouts ({@code TYPE_3BYTE_BGR}, {@code TYPE_INT_RGB}, {@code TYPE_INT_ARGB})
   * are copied straight from the raster, which gives the same values much faster.
   */
  public static RgbImage of(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] rgb = new byte[w * h * 3];
    Raster raster = image.getRaster();
    boolean plain = raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
        && raster.getDataBuffer().getNumBanks() == 1;
    if (plain && image.getType() == BufferedImage.TYPE_3BYTE_BGR
        && raster.getSampleModel() instanceof PixelInterleavedSampleModel model
        && model.getPixelStride() == 3 && model.getScanlineStride() == w * 3
        && Arrays.equals(model.getBandOffsets(), new int[] {2, 1, 0})) {
      byte[] bgr = ((DataBufferByte) raster.getDataBuffer()).getData();
      for (int i = 0; i < rgb.length; i += 3) {
        rgb[i] = bgr[i + 2];
        rgb[i + 1] = bgr[i + 1];
        rgb[i + 2] = bgr[i];
      }
      return new RgbImage(w, h, rgb);
    }
    if (plain && (image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_INT_ARGB)
        && raster.getSampleModel() instanceof SinglePixelPackedSampleModel model && model.getScanlineStride() == w) {
      int[] packed = ((DataBufferInt) raster.getDataBuffer()).getData();
      for (int i = 0, d = 0; i < w * h; i++, d += 3) {
        rgb[d] = (byte) (packed[i] >> 16);
        rgb[d + 1] = (byte) (packed[i] >> 8);
        rgb[d + 2] = (byte) packed[i];
      }
      return new RgbImage(w, h, rgb);
    }
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0, d = 0; i < argb.length; i++, d += 3) {
      rgb[d] = (byte) (argb[i] >> 16);
      rgb[d + 1] = (byte) (argb[i] >> 8);
      rgb[d + 2] = (byte) argb[i];
    }
    return new RgbImage(w, h, rgb);
  }

  /** A {@code TYPE_INT_RGB} copy. */
  public BufferedImage toBufferedImage() {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] packed = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    for (int i = 0, s = 0; i < packed.length; i++, s += 3) {
      packed[i] = (rgb[s] & 0xFF) << 16 | (rgb[s + 1] & 0xFF) << 8 | (rgb[s + 2] & 0xFF);
    }
    return image;
  }

  /** Channel c (0 = R) of pixel (x, y), 0..255. */
  public int sample(int x, int y, int c) {
    return rgb[(y * width + x) * 3 + c] & 0xFF;
  }

  /**
   * The sub-image [x, x + w) × [y, y + h); the rectangle must lie inside the image.
   */
  public RgbImage crop(int x, int y, int w, int h) {
    if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > width || y + h > height) {
      throw new IllegalArgumentException("crop " + x + "," + y + " " + w + "×" + h + " is outside " + width + "×" + height);
    }
    byte[] out = new byte[w * h * 3];
    for (int row = 0; row < h; row++) {
      System.arraycopy(rgb, ((y + row) * width + x) * 3, out, row * w * 3, w * 3);
    }
    return new RgbImage(w, h, out);
  }
}
