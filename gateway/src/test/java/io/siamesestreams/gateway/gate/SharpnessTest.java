package io.siamesestreams.gateway.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.gateway.TestMedia;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class SharpnessTest {

  @Test
  void aBlurredCopyScoresLowerThanTheImageAndMoreBlurScoresLowerStill() {
    BufferedImage sharp = TestMedia.fashionFrames(1, 320, 240).get(0);
    double original = Sharpness.of(sharp);
    double light = Sharpness.of(TestMedia.blurred(sharp, 1));
    double heavy = Sharpness.of(TestMedia.blurred(sharp, 3));
    assertThat(original).isGreaterThan(light);
    assertThat(light).isGreaterThan(heavy);
    assertThat(heavy).isGreaterThan(0);
  }

  @Test
  void aUniformImageScoresZero() {
    BufferedImage grey = new BufferedImage(50, 40, BufferedImage.TYPE_3BYTE_BGR);
    assertThat(Sharpness.of(grey)).isZero();
  }

  @Test
  void aSingleBrightPixelGivesTheLaplacianVarianceByHand() {
    // One pixel of 255 in a 5×5 black image: interior Laplacian values are -1020 at the centre and 255 at its
    // 4 neighbours, 0 at the other 4 interior pixels → mean 0, variance (1020² + 4·255²) / 9.
    BufferedImage image = new BufferedImage(5, 5, BufferedImage.TYPE_3BYTE_BGR);
    image.setRGB(2, 2, 0xFFFFFF);
    double expected = (1020.0 * 1020 + 4 * 255.0 * 255) / 9;
    assertThat(Sharpness.of(image)).isCloseTo(expected, org.assertj.core.data.Offset.offset(expected * 1e-5));
  }

  @Test
  void aRegionIsScoredOnItsOwnPixels() {
    BufferedImage image = new BufferedImage(100, 50, BufferedImage.TYPE_3BYTE_BGR);
    image.createGraphics().drawImage(TestMedia.fashionFrames(1, 50, 50).get(0), 50, 0, null);
    assertThat(Sharpness.of(image, 0, 0, 50, 50)).isZero();
    assertThat(Sharpness.of(image, 50, 0, 50, 50)).isGreaterThan(0);
  }
}
