package io.siamesestreams.gateway;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Real media for the gateway's tests: Fashion-MNIST pictures (Debian's idx files, or the compact
 * sample when present), box-blurred copies, and videos written with FFmpeg through javacv.
 */
public final class TestMedia {

  private static final List<Path> FASHION_MNIST = List.of(
      Path.of("../data/fashion-mnist-sample/t10k-images-idx3-ubyte.gz"),
      Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"));

  private TestMedia() {}

  /**
   * {@code count} frames of {@code width × height}: a 4 × 3 grid of different Fashion-MNIST images
   * (upscaled with bilinear filtering) per frame, so consecutive frames differ and each is sharp.
   */
  public static List<BufferedImage> fashionFrames(int count, int width, int height) {
    byte[][] images = fashionMnist(count * 12);
    List<BufferedImage> frames = new ArrayList<>();
    for (int f = 0; f < count; f++) {
      BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
      Graphics2D g = frame.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      int cellW = width / 4;
      int cellH = height / 3;
      for (int i = 0; i < 12; i++) {
        g.drawImage(grey28(images[(f * 12 + i) % images.length]), (i % 4) * cellW, (i / 4) * cellH, cellW, cellH, null);
      }
      g.dispose();
      frames.add(frame);
    }
    return frames;
  }

  /** The first {@code count} 28 × 28 images (row-major grey bytes) of the Fashion-MNIST test set. */
  static byte[][] fashionMnist(int count) {
    Path file = FASHION_MNIST.stream().filter(Files::isRegularFile).findFirst()
        .orElseThrow(() -> new IllegalStateException("Fashion-MNIST idx file not found at " + FASHION_MNIST));
    try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != 0x803) {
        throw new IOException(file + " is not an idx3 image file");
      }
      int total = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      byte[][] images = new byte[Math.min(count, total)][rows * cols];
      for (byte[] image : images) {
        in.readFully(image);
      }
      return images;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static BufferedImage grey28(byte[] pixels) {
    BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setDataElements(0, 0, 28, 28, pixels);
    return image;
  }

  /** A box-blurred copy ({@code radius} pixels each side), edges extended. */
  public static BufferedImage blurred(BufferedImage image, int radius) {
    int side = 2 * radius + 1;
    float[] weights = new float[side * side];
    Arrays.fill(weights, 1f / weights.length);
    BufferedImage padded = new BufferedImage(image.getWidth() + 2 * side, image.getHeight() + 2 * side,
        BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = padded.createGraphics();
    g.drawImage(image, 0, 0, padded.getWidth(), padded.getHeight(), null);
    g.drawImage(image, side, side, null);
    g.dispose();
    BufferedImage out = new ConvolveOp(new Kernel(side, side, weights), ConvolveOp.EDGE_NO_OP, null).filter(padded, null);
    BufferedImage result = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    result.createGraphics().drawImage(out.getSubimage(side, side, image.getWidth(), image.getHeight()), 0, 0, null);
    return result;
  }

  /** A frame of uniform noise (for content that changes every frame). */
  public static BufferedImage noise(int width, int height, long seed) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)).getRGB());
      }
    }
    return image;
  }

  /**
   * Writes {@code frames} as an MPEG-4 Part 2 video in an mp4 container at {@code fps} (FFmpeg's
   * native mpeg4 encoder, high quality, moov atom at the end as FFmpeg writes it by default).
   */
  public static Path writeVideo(Path file, List<BufferedImage> frames, int fps) {
    BufferedImage first = frames.get(0);
    try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toString(), first.getWidth(), first.getHeight());
        Java2DFrameConverter converter = new Java2DFrameConverter()) {
      recorder.setFormat(file.getFileName().toString().endsWith(".mkv") ? "matroska" : "mp4");
      recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      recorder.setFrameRate(fps);
      recorder.setGopSize(fps);
      recorder.setVideoQuality(2);
      recorder.start();
      for (BufferedImage frame : frames) {
        recorder.record(converter.convert(frame));
      }
      recorder.stop();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write test video " + file, e);
    }
    return file;
  }

  /** Whether Debian's {@code ffmpeg} binary is on the PATH. */
}
