package io.siamesestreams.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  /** Three 2×3 images; bytes above 127 check that pixels stay unsigned. */
  static final byte[] PIXELS = new byte[18];

  static {
    for (int i = 0; i < PIXELS.length; i++) {
      PIXELS[i] = (byte) (i * 15);
    }
    PIXELS[17] = (byte) 255;
  }

  static byte[] idx(int magic, int[] dimensions, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(magic);
      for (int d : dimensions) {
        out.writeInt(d);
      }
      out.write(data);
    }
    return bytes.toByteArray();
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  @Test
  void shouldReadAPlainIdx3ImageFile() throws IOException {
    Path file = Files.write(dir.resolve("images-idx3-ubyte"), idx(0x803, new int[] {3, 2, 3}, PIXELS));

    IdxReader.IdxImages images = IdxReader.readImages(file);

    assertThat(images.count()).isEqualTo(3);
    assertThat(images.rows()).isEqualTo(2);
    assertThat(images.columns()).isEqualTo(3);
    assertThat(images.pixels()).containsExactly(PIXELS);
  }

  @Test
  void shouldReadAGzippedFileWhateverItsName() throws IOException {
    Path file = Files.write(dir.resolve("images.bin"), gzip(idx(0x803, new int[] {3, 2, 3}, PIXELS)));

    assertThat(IdxReader.readImages(file).pixels()).containsExactly(PIXELS);
  }

  @Test
  void shouldReadLabelsAsUnsignedBytes() throws IOException {
    Path file = Files.write(dir.resolve("labels.gz"), gzip(idx(0x801, new int[] {4}, new byte[] {9, 0, 3, (byte) 200})));

    assertThat(IdxReader.readLabels(file)).containsExactly(9, 0, 3, 200);
  }

  @Test
  void shouldRejectALabelFileReadAsImagesWithTheMagicNumbers() throws IOException {
    Path file = Files.write(dir.resolve("labels"), idx(0x801, new int[] {2}, new byte[] {1, 2}));

    assertThatThrownBy(() -> IdxReader.readImages(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("magic number 0x00000801, expected 0x00000803");
  }

  @Test
  void shouldRejectATruncatedFile() throws IOException {
    byte[] whole = idx(0x803, new int[] {3, 2, 3}, PIXELS);
    Path file = Files.write(dir.resolve("short"), Arrays.copyOf(whole, whole.length - 1));

    assertThatThrownBy(() -> IdxReader.readImages(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void shouldRejectATruncatedHeader() throws IOException {
    Path file = Files.write(dir.resolve("header"), new byte[] {0, 0, 8, 3, 0, 0});

    assertThatThrownBy(() -> IdxReader.readImages(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("truncated header");
  }
}
