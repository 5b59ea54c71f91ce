package io.siamesestreams.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.preprocess.InvalidImageException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Thumbnails of enrolment images: size, aspect ratio, the face cut, refusal of bytes that are no image. */
class ThumbnailsTest {

  /** A {@code width × height} PNG, left half red, right half blue, with a white square at (x, y). */
  private static byte[] png(int width, int height, int x, int y, int side, int type) throws IOException {
    BufferedImage image = new BufferedImage(width, height, type);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, width / 2, height);
    g.setColor(Color.BLUE);
    g.fillRect(width / 2, 0, width - width / 2, height);
    g.setColor(Color.WHITE);
    g.fillRect(x, y, side, side);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private static BufferedImage read(byte[] jpeg) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(jpeg));
  }

  @Test
  void shouldScaleALargeImageToFitNinetySixPixelsKeepingItsAspectRatio() throws Exception {
    byte[] jpeg = Thumbnails.jpeg(png(800, 600, 0, 0, 1, BufferedImage.TYPE_INT_ARGB), null);

    BufferedImage thumbnail = read(jpeg);
    assertThat(jpeg).startsWith(0xFF, 0xD8, 0xFF);
    assertThat(thumbnail.getWidth()).isEqualTo(96);
    assertThat(thumbnail.getHeight()).isEqualTo(72);
    assertThat(jpeg.length).as("a few KB at most").isLessThan(8 * 1024);
    assertThat(new Color(thumbnail.getRGB(10, 36)).getRed()).isGreaterThan(200);
    assertThat(new Color(thumbnail.getRGB(85, 36)).getBlue()).isGreaterThan(200);
  }

  @Test
  void shouldCutAFaceBoxWithSomeContextAroundIt() throws Exception {
    byte[] photo = png(1000, 500, 600, 200, 100, BufferedImage.TYPE_INT_RGB);

    BufferedImage thumbnail = read(Thumbnails.jpeg(photo, FaceBox.ofPixels(600, 200, 100, 100)));

    // The box grown 1.4 times: 140 × 140 pixels about the square's centre, scaled to 96 × 96.
    assertThat(thumbnail.getWidth()).isEqualTo(96);
    assertThat(thumbnail.getHeight()).isEqualTo(96);
    Color centre = new Color(thumbnail.getRGB(48, 48));
    assertThat(centre.getRed() + centre.getGreen() + centre.getBlue()).as("the white square").isGreaterThan(700);
    assertThat(new Color(thumbnail.getRGB(2, 2)).getBlue()).as("the blue context around it").isGreaterThan(200);
  }

  @Test
  void shouldNeverEnlargeASmallImage() throws Exception {
    BufferedImage thumbnail = read(Thumbnails.jpeg(png(28, 20, 0, 0, 1, BufferedImage.TYPE_BYTE_GRAY), null));

    assertThat(thumbnail.getWidth()).isEqualTo(28);
    assertThat(thumbnail.getHeight()).isEqualTo(20);
  }

  @Test
  void shouldRefuseBytesThatAreNotAnImage() {
    assertThatThrownBy(() -> Thumbnails.jpeg("not an image".getBytes(), null))
        .isInstanceOf(InvalidImageException.class);
  }
}
