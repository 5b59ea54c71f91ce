package io.siamesestreams.faces;

import static io.siamesestreams.faces.image.ImageTransforms.blur;
import static io.siamesestreams.faces.image.ImageTransforms.brightness;
import static io.siamesestreams.faces.image.ImageTransforms.resize;
import static io.siamesestreams.faces.image.ImageTransforms.scale;
import static io.siamesestreams.faces.image.ImageTransforms.shift;

import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.faces.detect.TinyFaceDetector;
import io.siamesestreams.faces.image.ImageTransforms;
import io.siamesestreams.faces.image.RgbImage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Tight face crops cut from face-api's sample photos, with augmentation: the close-ups a door
 * camera or a gateway sending crops without a {@code faceBox} produces.
 *
 * <p>The people are the faces face-api's tiny detector finds in the six photos at their full size
 * (about 20). For each face and each crop factor k, the crop is the face box grown k times around its
 * centre (clipped to the photo), so the face box covers 1/k² of the crop: k ≤ 1.19 means at least
 * 70 % (k &lt; 1 cuts into the face). The crop is resized to 150 px on its longer side (the size of
 * the crops in the issue), then changed by each {@link #CHANGES} entry; the face box follows the
 * content.
 */
final class CloseUpCrops {

  /** Crop factors whose face box covers at least 70 % of the crop (1/k² ≥ 0.7). */
  static final double[] TIGHT = {0.9, 1.0, 1.1, 1.19};
  /** Crop factors from close-up to a face a third of the image's side, for the recall sweep. */
  static final double[] SWEEP = {1.0, 1.19, 1.3, 1.5, 1.75, 2.0, 2.5, 3.0};
  static final int SIDE = 150;

  /**
   * One change of a crop and where the face box's content goes.
   */
  record Change(String name, UnaryOperator<BufferedImage> apply, BoxMove move) {}

  interface BoxMove {
    FaceBox move(FaceBox box, int width, int height);
  }

  static final List<Change> CHANGES = List.of(
      new Change("none", image -> image, (b, w, h) -> b),
      new Change("flip", ImageTransforms::flip, (b, w, h) -> new FaceBox(w - b.right(), b.y(), b.width(), b.height(), b.score())),
      new Change("darker x0.6", image -> brightness(image, 0.6), (b, w, h) -> b),
      new Change("brighter x1.4", image -> brightness(image, 1.4), (b, w, h) -> b),
      new Change("shift 5%/3%", image -> shift(image, 0.05, 0.03),
          (b, w, h) -> new FaceBox(b.x() + Math.round(0.05 * w), b.y() + Math.round(0.03 * h), b.width(), b.height(), b.score())),
      new Change("scale 0.75", image -> scale(image, 0.75), scaled(0.75)),
      new Change("scale 1.3", image -> scale(image, 1.3), scaled(1.3)),
      new Change("blur 5x5", image -> blur(image, 5), (b, w, h) -> b),
      new Change("blur 3x3 + darker x0.8", image -> brightness(blur(image, 3), 0.8), (b, w, h) -> b));

  /**
   * One crop.
   *
   * @param person index of the face among all faces of the photos
   * @param factor the crop factor k
   * @param change the {@link #CHANGES} entry's name
   * @param image the crop
   * @param face the face's box in the crop, clipped to it
   */
  record Crop(int person, double factor, String change, BufferedImage image, FaceBox face) {}

  /** A face of a sample photo at full size. */
  record Person(int index, RgbImage photo, FaceBox box) {}

  private CloseUpCrops() {}

  /** The faces of the six sample photos, found by face-api's detector at 416. */
  static List<Person> people(TinyFaceDetector detector) {
    List<Person> people = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      RgbImage photo = FaceApiFixtures.photo("sample" + i + ".jpg");
      for (FaceBox box : detector.detect(photo, 416)) {
        people.add(new Person(people.size(), photo, box));
      }
    }
    return people;
  }

  /** Every person × factor × change. */
  static List<Crop> crops(List<Person> people, double[] factors, List<Change> changes) {
    List<Crop> crops = new ArrayList<>();
    for (Person person : people) {
      for (double k : factors) {
        FaceBox b = person.box();
        RgbImage photo = person.photo();
        int[] region = b.grownPixels(k, photo.width(), photo.height());
        int x0 = region[0];
        int y0 = region[1];
        int x1 = x0 + region[2];
        int y1 = y0 + region[3];
        double s = (double) SIDE / Math.max(x1 - x0, y1 - y0);
        int w = (int) Math.round((x1 - x0) * s);
        int h = (int) Math.round((y1 - y0) * s);
        BufferedImage crop = resize(photo.crop(x0, y0, x1 - x0, y1 - y0).toBufferedImage(), w, h);
        FaceBox face = new FaceBox((b.x() - x0) * w / (x1 - x0), (b.y() - y0) * h / (y1 - y0),
            b.width() * w / (x1 - x0), b.height() * h / (y1 - y0), 1.0);
        for (Change change : changes) {
          BufferedImage changed = change.apply().apply(crop);
          FaceBox moved = change.move().move(face, w, h);
          crops.add(new Crop(person.index(), k, change.name(), changed,
              clip(moved, changed.getWidth(), changed.getHeight())));
        }
      }
    }
    return crops;
  }

  private static BoxMove scaled(double f) {
    return (b, w, h) -> new FaceBox(b.x() * f, b.y() * f, b.width() * f, b.height() * f, b.score());
  }

  static FaceBox clip(FaceBox b, int width, int height) {
    double x = Math.max(0, b.x());
    double y = Math.max(0, b.y());
    return new FaceBox(x, y, Math.min(b.right(), width) - x, Math.min(b.bottom(), height) - y, b.score());
  }

  /** Whether one of {@code boxes} is the face: IoU ≥ 0.3 (the faces demo's rule for a found face). */
  static boolean found(List<FaceBox> boxes, FaceBox face) {
    return boxes.stream().anyMatch(box -> box.iou(face) >= 0.3);
  }
}
