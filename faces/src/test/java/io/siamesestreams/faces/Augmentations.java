package io.siamesestreams.faces;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Photometric and geometric changes of a face crop that keep the identity: used to make
 * same-face pairs from one photo per person.
 */
final class Augmentations {

  private Augmentations() {}

  /**
   * One augmentation.
   *
   * @param apply makes the augmented image (a new image)
   * @param movePoint where the face box's corner {x, y} in an image of {w, h} goes in the augmented image
   */
  record Augmentation(String name, UnaryOperator<BufferedImage> apply, BiFunction<double[], int[], double[]> movePoint) {}

  /** The augmentations used for same-face pairs. */
  static List<Augmentation> all() {
    BiFunction<double[], int[], double[]> stays = (p, size) -> p;
    return List.of(
        new Augmentation("flip", Augmentations::flip, (p, size) -> new double[] {size[0] - p[0], p[1]}),
        new Augmentation("darker x0.6", image -> brightness(image, 0.6), stays),
        new Augmentation("brighter x1.4", image -> brightness(image, 1.4), stays),
        // The content moves by 5 % / 3 % of the region (10 % / 6 % of the face box) but the box stays:
        // a misplaced box, as a detector or a gateway's faceBox may give.
        new Augmentation("shift in a fixed box", image -> shift(image, 0.05, 0.03), stays),
        new Augmentation("scale 0.75", image -> scale(image, 0.75), (p, size) -> new double[] {p[0] * 0.75, p[1] * 0.75}),
        new Augmentation("scale 1.3", image -> scale(image, 1.3), (p, size) -> new double[] {p[0] * 1.3, p[1] * 1.3}),
        new Augmentation("blur 5x5", image -> blur(image, 5), stays),
        new Augmentation("blur 3x3 + darker x0.8", image -> brightness(blur(image, 3), 0.8), stays));
  }

  static BufferedImage flip(BufferedImage image) {
    int w = image.getWidth();
    BufferedImage out = new BufferedImage(w, image.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < w; x++) {
        out.setRGB(w - 1 - x, y, image.getRGB(x, y));
      }
    }
    return out;
  }

  static BufferedImage brightness(BufferedImage image, double factor) {
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int r = clamp(((rgb >> 16) & 0xFF) * factor);
        int g = clamp(((rgb >> 8) & 0xFF) * factor);
        int b = clamp((rgb & 0xFF) * factor);
        out.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return out;
  }

  /** Moves the content by (fx · W, fy · H), filling with the edge colour of a black border. */
  static BufferedImage shift(BufferedImage image, double fx, double fy) {
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(image, (int) Math.round(fx * image.getWidth()), (int) Math.round(fy * image.getHeight()), null);
    g.dispose();
    return out;
  }

  /** Resamples the whole image by {@code factor} (bilinear). */
  static BufferedImage scale(BufferedImage image, double factor) {
    int w = (int) Math.round(image.getWidth() * factor);
    int h = (int) Math.round(image.getHeight() * factor);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  /** Box blur of size k × k (edges left unblurred). */
  static BufferedImage blur(BufferedImage image, int k) {
    float[] weights = new float[k * k];
    Arrays.fill(weights, 1f / (k * k));
    BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(image, 0, 0, null);
    return new ConvolveOp(new Kernel(k, k, weights), ConvolveOp.EDGE_NO_OP, null).filter(rgb, null);
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }
}
