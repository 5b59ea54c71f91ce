package io.siamesestreams.faces;

import static io.siamesestreams.faces.image.ImageTransforms.blur;
import static io.siamesestreams.faces.image.ImageTransforms.brightness;
import static io.siamesestreams.faces.image.ImageTransforms.scale;
import static io.siamesestreams.faces.image.ImageTransforms.shift;

import io.siamesestreams.faces.image.ImageTransforms;
import java.awt.image.BufferedImage;
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
        new Augmentation("flip", ImageTransforms::flip, (p, size) -> new double[] {size[0] - p[0], p[1]}),
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
}
