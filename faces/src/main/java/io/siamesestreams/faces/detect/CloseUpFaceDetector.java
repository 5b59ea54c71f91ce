package io.siamesestreams.faces.detect;

import io.siamesestreams.faces.image.RgbImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The tiny face detector with a second pass for close-ups: faces that fill most of the image (a
 * door camera, a portrait, a face crop sent without a box), which the tiny detector alone misses
 * because its largest anchor covers about three quarters of its input.
 *
 * <p>{@link #detect} runs two passes and merges them:
 *
 * <ol>
 *   <li>the <b>frame pass</b>: {@link TinyFaceDetector#detect(RgbImage, int)} on the image, exactly
 *       as face-api does (its boxes are always kept);
 *   <li>the <b>close-up pass</b>: for each canvas factor f in {@link #CANVAS_FACTORS} (2 and 1.25),
 *       the image is centred on a grey ({@value #CANVAS_GREY}) square canvas f times its longer side,
 *       sampled down to {@value #CLOSE_UP_INPUT_SIZE} × {@value #CLOSE_UP_INPUT_SIZE} and run through
 *       the same net, so a face filling the image covers a half (f = 2) or four fifths (f = 1.25) of
 *       the net's input, where the detector is reliable; the boxes of both canvases go through the
 *       manifest's non-maximum suppression. A close-up box is kept when its longer side is at least {@value #MIN_CLOSE_UP_SIDE}
 *       of the image's shorter side (smaller faces are the frame pass's job) and it overlaps no
 *       frame-pass box (IoU above the manifest's {@code iouThreshold}, or more than half of the
 *       smaller box inside the other);
 *   <li><b>refinement</b> of each kept close-up box: the net runs again at the frame pass's input size
 *       on a grey canvas {@value #REFINE_FACTOR} times the box's side, centred on it, and the box it
 *       finds there replaces the coarse one (see {@link #detect}). Frames without close-ups never pay
 *       for this run.
 * </ol>
 *
 * Canvas sampling: for output index d the canvas coordinate is {@code d · S / 160} with
 * {@code S = round(f · max(W, H))}, minus the image's offset {@code floor((S − W) / 2)}
 * (and likewise for rows), interpolated bilinearly between floor and ceil (clamped to the image),
 * as {@link io.siamesestreams.faces.image.TensorInput} resamples; samples off the image are grey.
 *
 * <p>The choice of canvas and input size, and the recall and time figures, are measured by
 * {@code CloseUpDetectionFiguresTest} (README, Real faces). Thread-safe; does not own the
 * {@link TinyFaceDetector}.
 */
public final class CloseUpFaceDetector {

  /** Sides of the close-up canvases relative to the image's longer side, one net run each. */
  public static final List<Double> CANVAS_FACTORS = List.of(2.0, 1.25);
  /** Input side of the close-up pass (the net's grid is then 5 × 5). */
  public static final int CLOSE_UP_INPUT_SIZE = 160;
  /** Fill value (all three channels, 0..255) of the canvas around the image. */
  public static final int CANVAS_GREY = 128;
  /** Canvas side of the refinement run, relative to the close-up box's longer side. */
  public static final double REFINE_FACTOR = 3.0;
  /** A close-up box's longer side must be at least this fraction of the image's shorter side. */
  public static final double MIN_CLOSE_UP_SIDE = 0.4;

  private final TinyFaceDetector detector;
  private final double[] canvasFactors;

  /** The close-up pass with the {@link #CANVAS_FACTORS}. */
  public CloseUpFaceDetector(TinyFaceDetector detector) {
    this(detector, CANVAS_FACTORS.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /**
   * The close-up pass with other canvas factors (for measuring the choice).
   *
   * @param canvasFactors each ≥ 1: canvas side / the image's longer side
   */
  public CloseUpFaceDetector(TinyFaceDetector detector, double... canvasFactors) {
    this.detector = Objects.requireNonNull(detector, "detector");
    for (double f : canvasFactors) {
      if (!(f >= 1)) {
        throw new IllegalArgumentException("canvas factors must be >= 1, was " + f);
      }
    }
    this.canvasFactors = canvasFactors.clone();
  }

  public TinyFaceDetector detector() {
    return detector;
  }

  /**
   * Every face in {@code image}, best score first, boxes in the image's pixels: the frame pass at
   * {@code inputSize} plus the close-ups it missed.
   *
   * @param inputSize the frame pass's input side, a positive multiple of
   *     {@link DetectorManifest#inputSizeMultiple()}
   */
  public List<FaceBox> detect(RgbImage image, int inputSize) {
    List<FaceBox> frame = detector.detect(image, inputSize);
    List<FaceBox> merged = new ArrayList<>(frame);
    double minSide = MIN_CLOSE_UP_SIDE * Math.min(image.width(), image.height());
    for (FaceBox closeUp : closeUps(image)) {
      if (Math.max(closeUp.width(), closeUp.height()) >= minSide && frame.stream().noneMatch(f -> sameFace(f, closeUp))) {
        merged.add(refine(image, closeUp, inputSize));
      }
    }
    merged.sort(Comparator.comparingDouble(FaceBox::score).reversed());
    return merged;
  }

  /**
   * The close-up pass alone: faces found on the grey canvases, after non-maximum suppression, best
   * score first, in the image's pixels (not filtered by size or against the frame pass).
   */
  public List<FaceBox> closeUps(RgbImage image) {
    List<FaceBox> all = new ArrayList<>();
    for (double f : canvasFactors) {
      all.addAll(closeUps(image, f));
    }
    return TinyFaceDetector.nonMaxSuppression(all, detector.manifest().iouThreshold());
  }

  private List<FaceBox> closeUps(RgbImage image, double canvasFactor) {
    int canvasSide = (int) Math.round(canvasFactor * Math.max(image.width(), image.height()));
    return onCanvas(image, canvasSide, (canvasSide - image.width()) / 2, (canvasSide - image.height()) / 2,
        CLOSE_UP_INPUT_SIZE);
  }

  /**
   * A tighter box for a close-up: the net run again at the frame pass's input size on a grey canvas
   * {@value #REFINE_FACTOR} times the close-up box's longer side, centred on it (the face then covers a
   * third of the input, where the frame pass places boxes well; the coarse 160-px pass tends to give
   * loose boxes, and the landmarks, hence the alignment, depend on the box). The refined box is the one
   * overlapping the close-up box most, with IoU ≥ 0.3; without one the close-up box stays.
   */
  private FaceBox refine(RgbImage image, FaceBox closeUp, int inputSize) {
    double side = REFINE_FACTOR * Math.max(closeUp.width(), closeUp.height());
    int canvasSide = (int) Math.round(side);
    double offsetX = canvasSide / 2.0 - (closeUp.x() + closeUp.width() / 2);
    double offsetY = canvasSide / 2.0 - (closeUp.y() + closeUp.height() / 2);
    FaceBox best = closeUp;
    double bestIou = 0.3;
    for (FaceBox box : onCanvas(image, canvasSide, offsetX, offsetY, inputSize)) {
      double iou = box.iou(closeUp);
      if (iou >= bestIou) {
        best = box;
        bestIou = iou;
      }
    }
    return best;
  }

  /**
   * Runs the net on the image placed at ({@code offsetX}, {@code offsetY}) on a grey square canvas of
   * side {@code canvasSide}, sampled to {@code size}; boxes in the image's pixels.
   */
  private List<FaceBox> onCanvas(RgbImage image, int canvasSide, double offsetX, double offsetY, int size) {
    double pixelsPerSample = (double) canvasSide / size;
    RgbImage canvas = canvas(image, canvasSide, offsetX, offsetY, size);
    List<FaceBox> boxes = new ArrayList<>();
    for (FaceBox box : detector.detect(canvas, size)) {
      boxes.add(new FaceBox(box.x() * pixelsPerSample - offsetX, box.y() * pixelsPerSample - offsetY,
          box.width() * pixelsPerSample, box.height() * pixelsPerSample, box.score()));
    }
    return boxes;
  }

  /** Whether two boxes are one face: IoU above the detector's NMS threshold, or mostly nested. */
  private boolean sameFace(FaceBox a, FaceBox b) {
    if (a.iou(b) > detector.manifest().iouThreshold()) {
      return true;
    }
    double w = Math.max(0, Math.min(a.right(), b.right()) - Math.max(a.x(), b.x()));
    double h = Math.max(0, Math.min(a.bottom(), b.bottom()) - Math.max(a.y(), b.y()));
    double smaller = Math.min(a.area(), b.area());
    return smaller > 0 && w * h / smaller > 0.5;
  }

  /** The image at ({@code offsetX}, {@code offsetY}) on a grey canvas of side {@code canvasSide}, sampled to {@code size}. */
  private static RgbImage canvas(RgbImage image, int canvasSide, double offsetX, double offsetY, int size) {
    double ratio = (double) canvasSide / size;
    byte[] out = new byte[size * size * 3];
    for (int y = 0; y < size; y++) {
      double sy = y * ratio - offsetY;
      for (int x = 0; x < size; x++) {
        double sx = x * ratio - offsetX;
        int o = (y * size + x) * 3;
        for (int c = 0; c < 3; c++) {
          out[o + c] = (byte) Math.round(bilinear(image, sx, sy, c));
        }
      }
    }
    return new RgbImage(size, size, out);
  }

  private static double bilinear(RgbImage image, double x, double y, int c) {
    if (x < 0 || y < 0 || x >= image.width() || y >= image.height()) {
      return CANVAS_GREY;
    }
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    int x1 = Math.min(image.width() - 1, (int) Math.ceil(x));
    int y1 = Math.min(image.height() - 1, (int) Math.ceil(y));
    double fx = x - x0;
    double fy = y - y0;
    double top = image.sample(x0, y0, c) + (image.sample(x1, y0, c) - image.sample(x0, y0, c)) * fx;
    double bottom = image.sample(x0, y1, c) + (image.sample(x1, y1, c) - image.sample(x0, y1, c)) * fx;
    return top + (bottom - top) * fy;
  }
}
