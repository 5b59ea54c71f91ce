package io.siamesestreams.demo;

import static io.siamesestreams.faces.image.ImageTransforms.blur;
import static io.siamesestreams.faces.image.ImageTransforms.brightness;
import static io.siamesestreams.faces.image.ImageTransforms.scale;
import static io.siamesestreams.faces.image.ImageTransforms.shift;

import io.siamesestreams.faces.image.ImageTransforms;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Changes of a camera image that keep who is in it, for the faces demo: flip, brightness, small
 * shifts and scales, blur. Each knows where a face box of the original lands in the changed image.
 */
final class FrameAugmentations {

  private FrameAugmentations() {}

  /**
   * A face box in image pixels: top-left corner and size.
   */
  record Box(double x, double y, double width, double height) {

    double right() {
      return x + width;
    }

    double bottom() {
      return y + height;
    }

    /** Intersection over union; 0 when either box is empty. */
    double iou(Box other) {
      double w = Math.max(0, Math.min(right(), other.right()) - Math.max(x, other.x));
      double h = Math.max(0, Math.min(bottom(), other.bottom()) - Math.max(y, other.y));
      double union = width * height + other.width * other.height - w * h;
      return union <= 0 ? 0 : w * h / union;
    }

    /** This box clipped to a {@code w × h} image; null when nothing is left. */
    Box clippedTo(int w, int h) {
      double cx = Math.max(0, x);
      double cy = Math.max(0, y);
      double cw = Math.min(right(), w) - cx;
      double ch = Math.min(bottom(), h) - cy;
      return cw < 1 || ch < 1 ? null : new Box(cx, cy, cw, ch);
    }
  }

  /** Moves a box of an image of {@code width × height} to where its content is after the change. */
  interface BoxMove {
    Box move(Box box, int width, int height);
  }

  /**
   * One change.
   *
   * @param name for people
   * @param apply makes the changed image (a new image)
   * @param contentMove where the content of a box goes
   * @param boxMove where a gateway's face box goes: the same as the content, except for a shift,
   *     where the gateway's box stays put (a misplaced box, as a real gateway may send)
   */
  record Augmentation(String name, UnaryOperator<BufferedImage> apply, BoxMove contentMove, BoxMove boxMove) {}

  private static final double SHIFT_X = 0.05;
  private static final double SHIFT_Y = 0.03;

  /** The changes the demo draws from (the first is "none"). */
  static final List<Augmentation> ALL = List.of(
      same("none", image -> image),
      new Augmentation("flip", ImageTransforms::flip, FrameAugmentations::flipBox, FrameAugmentations::flipBox),
      same("darker x0.6", image -> brightness(image, 0.6)),
      same("brighter x1.4", image -> brightness(image, 1.4)),
      new Augmentation("shift", image -> shift(image, SHIFT_X, SHIFT_Y),
          (box, w, h) -> new Box(box.x() + Math.round(SHIFT_X * w), box.y() + Math.round(SHIFT_Y * h), box.width(),
              box.height()),
          (box, w, h) -> box),
      scaled(0.8),
      scaled(1.25),
      same("blur 5x5", image -> blur(image, 5)),
      same("blur 3x3 + darker x0.8", image -> brightness(blur(image, 3), 0.8)));

  private static Augmentation same(String name, UnaryOperator<BufferedImage> apply) {
    return new Augmentation(name, apply, (box, w, h) -> box, (box, w, h) -> box);
  }

  private static Augmentation scaled(double factor) {
    BoxMove move = (box, w, h) -> new Box(box.x() * factor, box.y() * factor, box.width() * factor,
        box.height() * factor);
    return new Augmentation("scale " + factor, image -> scale(image, factor), move, move);
  }

  private static Box flipBox(Box box, int width, int height) {
    return new Box(width - box.right(), box.y(), box.width(), box.height());
  }
}
