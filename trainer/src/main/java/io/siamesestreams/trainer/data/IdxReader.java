package io.siamesestreams.trainer.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader of the idx format used by MNIST and Fashion-MNIST: a big-endian header (magic number, then
 * one 32-bit size per dimension) followed by unsigned bytes. Gzipped files are recognised by their
 * content (the gzip magic bytes), not by their name.
 *
 * <ul>
 *   <li>idx3 images: magic {@code 0x00000803}, then count, rows, columns; pixels row-major, 0 = black.
 *   <li>idx1 labels: magic {@code 0x00000801}, then count; one unsigned byte per label.
 * </ul>
 */
public final class IdxReader {
  /** Magic number of an idx3 file of unsigned bytes (images). */
  public static final int IMAGES_MAGIC = 0x00000803;
  /** Magic number of an idx1 file of unsigned bytes (labels). */
  public static final int LABELS_MAGIC = 0x00000801;

  private IdxReader() {}

  /**
   * Grey images of an idx3 file.
   *
   * @param count number of images
   * @param rows image height
   * @param columns image width
   * @param pixels {@code count × rows × columns} bytes, image after image, each row-major
   */
  public record IdxImages(int count, int rows, int columns, byte[] pixels) {}

  /**
   * Reads an idx3 image file (plain or gzipped).
   *
   * @throws IOException when the file cannot be read, its magic number is not {@code 0x00000803},
   *     a dimension is negative or too large, or it is shorter than its header says
   */
  public static IdxImages readImages(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      checkMagic(file, in.readInt(), IMAGES_MAGIC, "idx3 images");
      int count = readDimension(file, in, "image count");
      int rows = readDimension(file, in, "rows");
      int columns = readDimension(file, in, "columns");
      long total = (long) count * rows * columns;
      if (total > Integer.MAX_VALUE - 8) {
        throw new IOException(file + ": " + count + " images of " + rows + "×" + columns + " do not fit in one array");
      }
      byte[] pixels = new byte[(int) total];
      readFully(file, in, pixels);
      return new IdxImages(count, rows, columns, pixels);
    }
  }

  /**
   * Reads an idx1 label file (plain or gzipped); labels are unsigned bytes 0..255.
   *
   * @throws IOException when the file cannot be read, its magic number is not {@code 0x00000801} or it
   *     is shorter than its header says
   */
  public static int[] readLabels(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      checkMagic(file, in.readInt(), LABELS_MAGIC, "idx1 labels");
      int count = readDimension(file, in, "label count");
      byte[] raw = new byte[count];
      readFully(file, in, raw);
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = raw[i] & 0xFF;
      }
      return labels;
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      boolean gzipped = b0 == 0x1f && b1 == 0x8b;
      InputStream body = gzipped ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
      return new DataInputStream(body);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  private static void checkMagic(Path file, int magic, int expected, String kind) throws IOException {
    if (magic != expected) {
      throw new IOException(
          String.format(
              "%s: not an %s file: magic number 0x%08X, expected 0x%08X", file, kind, magic, expected));
    }
  }

  private static int readDimension(Path file, DataInputStream in, String name) throws IOException {
    int value;
    try {
      value = in.readInt();
    } catch (EOFException e) {
      throw new IOException(file + ": truncated header (missing " + name + ")", e);
    }
    if (value < 0) {
      throw new IOException(file + ": negative " + name + " " + value);
    }
    return value;
  }

  private static void readFully(Path file, DataInputStream in, byte[] into) throws IOException {
    try {
      in.readFully(into);
    } catch (EOFException e) {
      throw new IOException(file + ": truncated: the header announces " + into.length + " data bytes", e);
    }
  }
}
