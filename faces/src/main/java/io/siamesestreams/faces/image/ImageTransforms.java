package io.siamesestreams.faces.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.util.Arrays;

/**
 * Photometric and geometric changes of an image that keep who is in it (flip, brightness, shift,
 * scale, blur): each returns a new {@code TYPE_INT_RGB} image. Used to make same-face variants of
 * one photo, by the face tests and by the streaming demo's simulated cameras.
 */
public final class ImageTransforms {

  private ImageTransforms() {}

  /** Mirrors the image left-right (RGB). */
  public static BufferedImage flip(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] row = new int[w];
    int[] flipped = new int[w];
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        flipped[w - 1 - x] = row[x];
      }
      out.setRGB(0, y, w, 1, flipped, 0, w);
    }
    return out;
  }

  /** Multiplies every channel by {@code factor}, clamped to 0…255 (RGB). */
  public static BufferedImage brightness(BufferedImage image, double factor) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] pixels = image.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < pixels.length; i++) {
      int rgb = pixels[i];
      pixels[i] = clamp(((rgb >> 16) & 0xFF) * factor) << 16 | clamp(((rgb >> 8) & 0xFF) * factor) << 8
          | clamp((rgb & 0xFF) * factor);
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, w, h, pixels, 0, w);
    return out;
  }

  /** Moves the content by (fx · W, fy · H); the uncovered border is black. */
  public static BufferedImage shift(BufferedImage image, double fx, double fy) {
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(image, (int) Math.round(fx * image.getWidth()), (int) Math.round(fy * image.getHeight()), null);
    g.dispose();
    return out;
  }

  /** Resamples the whole image by {@code factor} (bilinear). */
  public static BufferedImage scale(BufferedImage image, double factor) {
    return resize(image, (int) Math.round(image.getWidth() * factor), (int) Math.round(image.getHeight() * factor));
  }

  /** Resamples the image to {@code width × height} (bilinear, RGB). */
  public static BufferedImage resize(BufferedImage image, int width, int height) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, width, height, null);
    g.dispose();
    return out;
  }

  /** Box blur of size k × k (edges left unblurred). */
  public static BufferedImage blur(BufferedImage image, int k) {
    float[] weights = new float[k * k];
    Arrays.fill(weights, 1f / (k * k));
    BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    g.drawImage(image, 0, 0, null);
    g.dispose();
    return new ConvolveOp(new Kernel(k, k, weights), ConvolveOp.EDGE_NO_OP, null).filter(rgb, null);
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }
}
