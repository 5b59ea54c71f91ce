package io.siamesestreams.faces.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RgbImageTest {

  @Test
  void shouldReadEveryImageTypeAsGetRgbReportsIt() {
    Random random = new Random(7);
    int[] types = {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB,
        BufferedImage.TYPE_INT_BGR, BufferedImage.TYPE_4BYTE_ABGR};
    for (int type : types) {
      BufferedImage image = new BufferedImage(7, 5, type);
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 7; x++) {
          image.setRGB(x, y, 0xFF000000 | random.nextInt(0x1000000));
        }
      }
      RgbImage rgb = RgbImage.of(image);
      RgbImage sub = RgbImage.of(image.getSubimage(2, 1, 4, 3));
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 7; x++) {
          int expected = image.getRGB(x, y);
          assertThat(rgb.sample(x, y, 0)).as("type %d R at %d,%d", type, x, y).isEqualTo((expected >> 16) & 0xFF);
          assertThat(rgb.sample(x, y, 1)).as("type %d G at %d,%d", type, x, y).isEqualTo((expected >> 8) & 0xFF);
          assertThat(rgb.sample(x, y, 2)).as("type %d B at %d,%d", type, x, y).isEqualTo(expected & 0xFF);
        }
      }
      assertThat(sub.sample(0, 0, 0)).as("type %d subimage", type).isEqualTo((image.getRGB(2, 1) >> 16) & 0xFF);
      assertThat(sub.sample(3, 2, 2)).as("type %d subimage", type).isEqualTo(image.getRGB(5, 3) & 0xFF);
      assertThat(RgbImage.of(rgb.toBufferedImage()).rgb()).containsExactly(rgb.rgb());
    }
  }

  @Test
  void shouldCropARectangle() {
    byte[] pixels = new byte[4 * 3 * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) i;
    }
    RgbImage crop = new RgbImage(4, 3, pixels).crop(1, 1, 2, 2);

    assertThat(crop.rgb()).containsExactly(15, 16, 17, 18, 19, 20, 27, 28, 29, 30, 31, 32);
  }
}
