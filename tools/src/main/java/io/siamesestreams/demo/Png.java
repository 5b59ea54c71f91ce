package io.siamesestreams.demo;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Encodes 8-bit grey pixels as PNG bytes, as a camera gateway would send them. */
final class Png {

  private Png() {}

  /** @param pixels row-major grey values, {@code width × height} bytes */
  static byte[] gray(byte[] pixels, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setDataElements(0, 0, width, height, pixels);
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
