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
