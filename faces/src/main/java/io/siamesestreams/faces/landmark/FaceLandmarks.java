package io.siamesestreams.faces.landmark;

/**
 * 68 facial landmarks in image pixels (edge coordinates), iBUG 300-W order: jaw 0–16, eyebrows
 * 17–26, nose 27–35, the eye on the image's left 36–41, the eye on the image's right 42–47,
 * mouth 48–67.
 *
 * @param xy x0, y0, x1, y1, … (136 values)
 */
public record FaceLandmarks(double[] xy) {

  public static final int POINTS = 68;

  public FaceLandmarks {
    if (xy.length != 2 * POINTS) {
      throw new IllegalArgumentException("landmarks need " + 2 * POINTS + " coordinates, had " + xy.length);
    }
  }

  public double x(int point) {
    return xy[2 * point];
  }

  public double y(int point) {
    return xy[2 * point + 1];
  }

  /** Centre (mean) of the eye on the image's left (points 36–41): {x, y}. */
  public double[] leftEyeCentre() {
    return mean(36, 42);
  }

  /** Centre (mean) of the eye on the image's right (points 42–47): {x, y}. */
  public double[] rightEyeCentre() {
    return mean(42, 48);
  }

  /** These landmarks moved by (dx, dy). */
  public FaceLandmarks shifted(double dx, double dy) {
    double[] moved = xy.clone();
    for (int i = 0; i < POINTS; i++) {
      moved[2 * i] += dx;
      moved[2 * i + 1] += dy;
    }
    return new FaceLandmarks(moved);
  }

  private double[] mean(int from, int to) {
    double sx = 0;
    double sy = 0;
    for (int i = from; i < to; i++) {
      sx += x(i);
      sy += y(i);
    }
    return new double[] {sx / (to - from), sy / (to - from)};
  }
}
