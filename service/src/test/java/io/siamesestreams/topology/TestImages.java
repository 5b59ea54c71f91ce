package io.siamesestreams.topology;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/** Hand-crafted broken images for dead-letter tests. */
final class TestImages {
  private TestImages() {}

  /** {@code png} with its IHDR width and height replaced (CRC fixed), a "decompression bomb" header. */
  static byte[] withDeclaredSize(byte[] png, int width, int height) {
    byte[] copy = png.clone();
    // Signature (8) + IHDR length (4) + "IHDR" (4), then width and height, big-endian.
    ByteBuffer.wrap(copy, 16, 8).putInt(width).putInt(height);
    CRC32 crc = new CRC32();
    crc.update(copy, 12, 4 + 13);
    ByteBuffer.wrap(copy, 12 + 4 + 13, 4).putInt((int) crc.getValue());
    return copy;
  }
}
