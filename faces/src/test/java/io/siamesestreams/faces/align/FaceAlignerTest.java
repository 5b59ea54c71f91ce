package io.siamesestreams.faces.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.siamesestreams.faces.image.RgbImage;
import org.junit.jupiter.api.Test;

class FaceAlignerTest {

  @Test
  void shouldPutTheEyesAtTheChipPositionsWhateverTheRotationAndScale() {
    // A black 400×300 image with a red dot (left eye) and a green dot (right eye), tilted by about 31°.
    int w = 400;
    int h = 300;
    byte[] rgb = new byte[w * h * 3];
    double[] left = {120.5, 200.5};
    double[] right = {220.5, 140.5};
    dot(rgb, w, (int) left[0], (int) left[1], 0);
    dot(rgb, w, (int) right[0], (int) right[1], 1);

    RgbImage chip = new FaceAligner().align(new RgbImage(w, h, rgb), left, right);

    assertThat(chip.width()).isEqualTo(150);
    assertThat(chip.height()).isEqualTo(150);
    // Centroids in pixel-edge coordinates (pixel i spans [i, i + 1)).
    assertThat(centroid(chip, 0)[0]).isCloseTo(46, within(0.25));
    assertThat(centroid(chip, 0)[1]).isCloseTo(47, within(0.25));
    assertThat(centroid(chip, 1)[0]).isCloseTo(104, within(0.25));
    assertThat(centroid(chip, 1)[1]).isCloseTo(47, within(0.25));
  }

  @Test
  void shouldTakeEachChipPixelFromTheFourNearestImagePixelsBilinearlyRoundedHalfUp() {
    // Random pixels; eyes tilted and scaled so that the chip reaches past the image's edges (clamping).
    java.util.Random random = new java.util.Random(17);
    int w = 97;
    int h = 83;
    byte[] rgb = new byte[w * h * 3];
    random.nextBytes(rgb);
    RgbImage image = new RgbImage(w, h, rgb);
    double[] left = {30.3, 50.7};
    double[] right = {61.9, 38.2};

    RgbImage chip = new FaceAligner().align(image, left, right);

    // The definition in the class javadoc, written out: T⁻¹ maps chip (u + 0.5, v + 0.5) into the image.
    double a = ((right[0] - left[0]) * 58 + (right[1] - left[1]) * 0) / (58.0 * 58);
    double b = ((right[1] - left[1]) * 58 - (right[0] - left[0]) * 0) / (58.0 * 58);
    int mismatches = 0;
    for (int v = 0; v < 150; v++) {
      for (int u = 0; u < 150; u++) {
        double cx = u + 0.5 - 46;
        double cy = v + 0.5 - 47;
        double x = Math.min(Math.max(left[0] + a * cx - b * cy - 0.5, 0), w - 1);
        double y = Math.min(Math.max(left[1] + b * cx + a * cy - 0.5, 0), h - 1);
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        int x1 = Math.min(x0 + 1, w - 1);
        int y1 = Math.min(y0 + 1, h - 1);
        for (int c = 0; c < 3; c++) {
          double value = (1 - (y - y0)) * ((1 - (x - x0)) * image.sample(x0, y0, c) + (x - x0) * image.sample(x1, y0, c))
              + (y - y0) * ((1 - (x - x0)) * image.sample(x0, y1, c) + (x - x0) * image.sample(x1, y1, c));
          long expected = Math.round(value);
          if (Math.abs(chip.sample(u, v, c) - expected) > (Math.abs(value - Math.floor(value) - 0.5) < 1e-9 ? 1 : 0)) {
            mismatches++;
          }
        }
      }
    }
    assertThat(mismatches).as("chip samples that differ from the bilinear definition").isZero();
  }

  @Test
  void shouldRejectCoincidingEyes() {
    RgbImage image = new RgbImage(10, 10, new byte[300]);

    assertThatThrownBy(() -> new FaceAligner().align(image, new double[] {5, 5}, new double[] {5, 5}))
        .hasMessageContaining("coincide");
  }

  /** A 3×3 dot of full intensity in channel c centred on pixel (x, y). */
  private static void dot(byte[] rgb, int w, int x, int y, int c) {
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        rgb[((y + dy) * w + x + dx) * 3 + c] = (byte) 255;
      }
    }
  }

  /** Intensity-weighted centre {x, y} of channel c, in pixel-edge coordinates. */
  private static double[] centroid(RgbImage image, int c) {
    double sum = 0;
    double sx = 0;
    double sy = 0;
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        int v = image.sample(x, y, c);
        sum += v;
        sx += v * (x + 0.5);
        sy += v * (y + 0.5);
      }
    }
    return new double[] {sx / sum, sy / sum};
  }
}
