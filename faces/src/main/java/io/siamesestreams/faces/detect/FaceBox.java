package io.siamesestreams.faces.detect;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A face bounding box in original image pixels (edge coordinates: x, y is the top-left corner,
 * the box covers [x, x + width) × [y, y + height)), with the detector's score in (0, 1]; 1 for a box
 * that was given rather than detected.
 *
 * <p>The one face box of the project: what the detector finds, a frame's or an enrolment's given box
 * and a match event's box. In JSON (frames, enrolments, match events; {@code topics/schemas/}) it is
 * whole pixels, {@code {"x":…,"y":…,"width":…,"height":…}} as integers, without the score: build
 * such a box with {@link #ofPixels} or round a detected one with {@link #pixels()} first.
 */
public record FaceBox(double x, double y, double width, double height, double score) {

  /** A box of whole pixels that was given, not detected (score 1); also how JSON is read. */
  @JsonCreator
  public static FaceBox ofPixels(@JsonProperty("x") int x, @JsonProperty("y") int y,
      @JsonProperty("width") int width, @JsonProperty("height") int height) {
    return new FaceBox(x, y, width, height, 1.0);
  }

  /** This box rounded to whole pixels by its edges (left, top, right, bottom each rounded), score kept. */
  public FaceBox pixels() {
    long left = Math.round(x);
    long top = Math.round(y);
    return new FaceBox(left, top, Math.round(right()) - left, Math.round(bottom()) - top, score);
  }

  /** This box with another score. */
  public FaceBox withScore(double newScore) {
    return new FaceBox(x, y, width, height, newScore);
  }

  /** The JSON form: x, y, width, height as integers (each rounded), no score. */
  @JsonValue
  Map<String, Long> json() {
    Map<String, Long> json = new LinkedHashMap<>();
    json.put("x", Math.round(x));
    json.put("y", Math.round(y));
    json.put("width", Math.round(width));
    json.put("height", Math.round(height));
    return json;
  }

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

  /** Whether {@link #clippedPixels} leaves at least one whole pixel of a {@code imageWidth × imageHeight} image. */
  public boolean overlaps(int imageWidth, int imageHeight) {
    int[] r = clippedPixels(imageWidth, imageHeight);
    return r[2] >= 1 && r[3] >= 1;
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
