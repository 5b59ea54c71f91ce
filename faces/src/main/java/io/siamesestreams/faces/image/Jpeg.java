package io.siamesestreams.faces.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * JPEG encoding of the pictures sent as frames: baseline, quality {@value #QUALITY}, no alpha (an
 * image with alpha or an indexed palette is drawn onto RGB first). The camera gateway encodes what it
 * sends with it, the bench its realistic frames, and the gallery its thumbnails.
 */
public final class Jpeg {

  /** ImageIO's compression quality, 0..1. */
  public static final float QUALITY = 0.9f;

  private Jpeg() {}

  /** The JPEG bytes of {@code image} at quality {@value #QUALITY}. */
  public static byte[] encode(BufferedImage image) {
    return encode(image, QUALITY);
  }

  /** The JPEG bytes of {@code image} at {@code quality} (0..1). */
  public static byte[] encode(BufferedImage image, float quality) {
    BufferedImage rgb = image;
    if (image.getType() != BufferedImage.TYPE_3BYTE_BGR && image.getType() != BufferedImage.TYPE_INT_RGB
        && image.getType() != BufferedImage.TYPE_BYTE_GRAY) {
      rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
      rgb.getGraphics().drawImage(image, 0, 0, null);
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(rgb, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a JPEG", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
