package io.siamesestreams.faces.detect;

/**
 * A face bounding box in original image pixels (edge coordinates: x, y is the top-left corner,
 * the box covers [x, x + width) × [y, y + height)), with the detector's score in (0, 1).
 */
public record FaceBox(double x, double y, double width, double height, double score) {

  public double right() {
    return x + width;
  }

  public double bottom() {
    return y + height;
  }

  public double area() {
    return width * height;
  }

  /** Intersection over union with {@code other}; 0 when either box is empty. */
  public double iou(FaceBox other) {
    double w = Math.max(0, Math.min(right(), other.right()) - Math.max(x, other.x));
    double h = Math.max(0, Math.min(bottom(), other.bottom()) - Math.max(y, other.y));
    double intersection = w * h;
    double union = area() + other.area() - intersection;
    return union <= 0 ? 0 : intersection / union;
  }

  /**
   * The box clipped to a {@code imageWidth × imageHeight} image and floored to whole pixels, as
   * face-api's {@code Box.clipAtImageBorders} does before cropping a face: {@code [x, y, w, h]}
   * (w or h may be ≤ 0 for a box entirely outside the image).
   */
  public int[] clippedPixels(int imageWidth, int imageHeight) {
    double cx = Math.max(x, 0);
    double cy = Math.max(y, 0);
    double w = Math.min(right() - cx, imageWidth - cx);
    double h = Math.min(bottom() - cy, imageHeight - cy);
    return new int[] {(int) Math.floor(cx), (int) Math.floor(cy), (int) Math.floor(w), (int) Math.floor(h)};
  }

  /**
   * The box grown {@code k} times about its centre, clipped to a {@code imageWidth × imageHeight}
   * image and rounded to whole pixels: {@code [x, y, w, h]} (a face crop with context around it).
   */
  public int[] grownPixels(double k, int imageWidth, int imageHeight) {
    double cx = x + width / 2;
    double cy = y + height / 2;
    int x0 = (int) Math.max(0, Math.round(cx - width * k / 2));
    int y0 = (int) Math.max(0, Math.round(cy - height * k / 2));
    int x1 = (int) Math.min(imageWidth, Math.round(cx + width * k / 2));
    int y1 = (int) Math.min(imageHeight, Math.round(cy + height * k / 2));
    return new int[] {x0, y0, x1 - x0, y1 - y0};
  }
}
