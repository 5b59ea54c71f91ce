package io.siamesestreams.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.bundle.ModelManifest.ColorMode;
import io.siamesestreams.bundle.ModelManifest.ResizePolicy;
import io.siamesestreams.preprocess.InvalidImageException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {

  private static ModelManifest.Input grey(int width, int height, ResizePolicy resize) {
    return new ModelManifest.Input("image", ModelManifest.Layout.NCHW, 1, height, width, ColorMode.GRAY, resize,
        new float[] {0.5f}, new float[] {0.25f});
  }

  private static ModelManifest.Input rgb(int width, int height, ResizePolicy resize) {
    return new ModelManifest.Input("image", ModelManifest.Layout.NCHW, 3, height, width, ColorMode.RGB, resize,
        new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
  }

  private static ModelManifest.Input plain(int channels, int width, int height, ResizePolicy resize) {
    float[] zeros = new float[channels];
    float[] ones = new float[channels];
    Arrays.fill(ones, 1f);
    return new ModelManifest.Input("image", ModelManifest.Layout.NCHW, channels, height, width,
        channels == 1 ? ColorMode.GRAY : ColorMode.RGB, resize, zeros, ones);
  }

  @Test
  void shouldGiveBitIdenticalFloatsForAGreyPngAndTheSameRawPixels() throws Exception {
    int w = 7;
    int h = 5;
    byte[] pixels = noise(1, w * h);
    ImagePreprocessor pre = new ImagePreprocessor(grey(w, h, ResizePolicy.EXACT));

    float[] fromPng = floats(pre, png(greyImage(pixels, w, h)));
    float[] fromRaw = rawFloats(pre, pixels, w, h, 1);

    assertThat(bits(fromPng)).containsExactly(bits(fromRaw));
    assertThat(fromRaw[w + 2]).isEqualTo(((pixels[w + 2] & 0xFF) / 255f - 0.5f) / 0.25f);
  }

  @Test
  void shouldGiveBitIdenticalFloatsForAnRgbPngAndTheSameRawPixels() throws Exception {
    int w = 6;
    int h = 4;
    byte[] pixels = noise(2, w * h * 3);
    ImagePreprocessor pre = new ImagePreprocessor(rgb(w, h, ResizePolicy.EXACT));

    float[] fromPng = floats(pre, png(rgbImage(pixels, w, h, BufferedImage.TYPE_3BYTE_BGR)));
    float[] fromRaw = rawFloats(pre, pixels, w, h, 3);

    assertThat(bits(fromPng)).containsExactly(bits(fromRaw));
  }

  @Test
  void shouldGiveBitIdenticalFloatsForPngAndRawWhenStretching() throws Exception {
    byte[] pixels = noise(3, 11 * 9 * 3);
    ImagePreprocessor pre = new ImagePreprocessor(grey(8, 8, ResizePolicy.STRETCH));

    float[] fromPng = floats(pre, png(rgbImage(pixels, 11, 9, BufferedImage.TYPE_INT_RGB)));
    float[] fromRaw = rawFloats(pre, pixels, 11, 9, 3);

    assertThat(bits(fromPng)).containsExactly(bits(fromRaw));
  }

  @Test
  void shouldWriteChannelMajorFloatsNormalisedPerChannel() throws Exception {
    // Two pixels, (10, 20, 30) and (40, 50, 60), as a 2×1 RGB image.
    byte[] pixels = {10, 20, 30, 40, 50, 60};
    ImagePreprocessor pre = new ImagePreprocessor(rgb(2, 1, ResizePolicy.EXACT));

    float[] x = rawFloats(pre, pixels, 2, 1, 3);

    float[] mean = {0.485f, 0.456f, 0.406f};
    float[] std = {0.229f, 0.224f, 0.225f};
    assertThat(x).containsExactly(
        (10 / 255f - mean[0]) / std[0], (40 / 255f - mean[0]) / std[0],
        (20 / 255f - mean[1]) / std[1], (50 / 255f - mean[1]) / std[1],
        (30 / 255f - mean[2]) / std[2], (60 / 255f - mean[2]) / std[2]);
  }

  @Test
  void shouldConvertRgbToGreyWithBt601Luma() throws Exception {
    byte[] pixels = {(byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255, 10, 20, 30};
    ImagePreprocessor pre = new ImagePreprocessor(plain(1, 4, 1, ResizePolicy.EXACT));

    float[] fromRaw = rawFloats(pre, pixels, 4, 1, 3);
    float[] fromPng = floats(pre, png(rgbImage(pixels, 4, 1, BufferedImage.TYPE_INT_RGB)));

    // round(0.299·255) = 76, round(0.587·255) = 150, round(0.114·255) = 29, round(2.99 + 11.74 + 3.42) = 18
    assertThat(fromRaw).containsExactly(76 / 255f, 150 / 255f, 29 / 255f, 18 / 255f);
    assertThat(fromPng).containsExactly(fromRaw);
  }

  @Test
  void shouldCopyGreyIntoAllThreeChannelsForAnRgbModel() throws Exception {
    ImagePreprocessor pre = new ImagePreprocessor(plain(3, 2, 1, ResizePolicy.EXACT));

    float[] x = floats(pre, png(greyImage(new byte[] {51, (byte) 204}, 2, 1)));

    assertThat(x).containsExactly(0.2f, 0.8f, 0.2f, 0.8f, 0.2f, 0.8f);
  }

  @Test
  void shouldDropAlpha() throws Exception {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    image.setRGB(0, 0, 0x10_336699);
    image.setRGB(1, 0, 0xFF_FFFFFF);
    ImagePreprocessor pre = new ImagePreprocessor(plain(3, 2, 1, ResizePolicy.EXACT));

    float[] x = floats(pre, png(image));

    assertThat(x).containsExactly(0x33 / 255f, 1f, 0x66 / 255f, 1f, 0x99 / 255f, 1f);
  }

  @Test
  void shouldReduceA16BitGreyPngTo8Bits() throws Exception {
    BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
    image.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 100 * 257, 65535});
    ImagePreprocessor pre = new ImagePreprocessor(plain(1, 3, 1, ResizePolicy.EXACT));

    float[] x = floats(pre, png(image));

    assertThat(x).containsExactly(0f, 100 / 255f, 1f);
  }

  @Test
  void shouldDecodeAJpeg() throws Exception {
    byte[] pixels = new byte[16 * 16];
    Arrays.fill(pixels, (byte) 128);
    ImagePreprocessor pre = new ImagePreprocessor(grey(16, 16, ResizePolicy.EXACT));

    float[] x = floats(pre, jpeg(greyImage(pixels, 16, 16)));

    float expected = (128 / 255f - 0.5f) / 0.25f;
    for (float v : x) {
      assertThat(v).isCloseTo(expected, within(2 / 255f / 0.25f));
    }
  }

  @Test
  void shouldStretchBilinearlyWithAlignedPixelCentres() throws Exception {
    ImagePreprocessor pre = new ImagePreprocessor(plain(1, 4, 1, ResizePolicy.STRETCH));

    float[] x = rawFloats(pre, new byte[] {0, (byte) 255}, 2, 1, 1);

    // src = (dst + 0.5) · 2/4 − 0.5 = −0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1)
    assertThat(x[0]).isEqualTo(0f);
    assertThat(x[1]).isCloseTo(63.75f / 255f, within(1e-6f));
    assertThat(x[2]).isCloseTo(191.25f / 255f, within(1e-6f));
    assertThat(x[3]).isEqualTo(1f);
  }

  @Test
  void shouldKeepAUniformImageUniformWhenShrinking() throws Exception {
    byte[] pixels = new byte[20 * 30];
    Arrays.fill(pixels, (byte) 77);
    ImagePreprocessor pre = new ImagePreprocessor(grey(8, 8, ResizePolicy.STRETCH));

    float[] x = floats(pre, png(greyImage(pixels, 20, 30)));

    assertThat(x).hasSize(64).containsOnly((77 / 255f - 0.5f) / 0.25f);
  }

  @Test
  void shouldRejectAnImageOfAnotherSizeUnderExact() throws Exception {
    ImagePreprocessor pre = new ImagePreprocessor(grey(8, 8, ResizePolicy.EXACT));

    assertReason(() -> pre.putRaw(new byte[9 * 8], 9, 8, 1, pre.allocate(1)), Reason.WRONG_IMAGE_SIZE);
    assertReason(() -> pre.putEncoded(png(greyImage(new byte[8 * 9], 8, 9)), pre.allocate(1)), Reason.WRONG_IMAGE_SIZE);
  }

  @Test
  void shouldRejectATruncatedPng() throws Exception {
    byte[] png = png(greyImage(noise(4, 64 * 64), 64, 64));
    ImagePreprocessor pre = new ImagePreprocessor(grey(64, 64, ResizePolicy.EXACT));

    for (int length : new int[] {40, png.length / 4, png.length / 2, png.length - 13, png.length - 12, png.length - 1}) {
      assertReason(() -> pre.putEncoded(Arrays.copyOf(png, length), pre.allocate(1)), Reason.UNDECODABLE_IMAGE);
    }
  }

  @Test
  void shouldDecodeValidImagesAlikeBeforeAndAfterRejectingBrokenOnes() throws Exception {
    byte[] png = png(greyImage(noise(6, 8 * 8), 8, 8));
    byte[] jpeg = jpeg(rgbImage(noise(7, 8 * 8 * 3), 8, 8, BufferedImage.TYPE_3BYTE_BGR));
    ImagePreprocessor pre = new ImagePreprocessor(grey(8, 8, ResizePolicy.EXACT));
    float[] pngFirst = floats(pre, png);
    float[] jpegFirst = floats(pre, jpeg);

    // Readers are reused per thread; a failed read must not change what the next image gives.
    assertReason(() -> pre.putEncoded(Arrays.copyOf(png, png.length / 2), pre.allocate(1)), Reason.UNDECODABLE_IMAGE);
    assertReason(() -> pre.putEncoded(Arrays.copyOf(jpeg, jpeg.length / 2), pre.allocate(1)),
        Reason.UNDECODABLE_IMAGE);

    assertThat(bits(floats(pre, png))).containsExactly(bits(pngFirst));
    assertThat(bits(floats(pre, jpeg))).containsExactly(bits(jpegFirst));
    assertThat(bits(floats(new ImagePreprocessor(grey(8, 8, ResizePolicy.EXACT)), png))).containsExactly(bits(pngFirst));
  }

  @Test
  void shouldRejectATruncatedJpeg() throws Exception {
    byte[] jpeg = jpeg(rgbImage(noise(5, 64 * 64 * 3), 64, 64, BufferedImage.TYPE_3BYTE_BGR));
    ImagePreprocessor pre = new ImagePreprocessor(rgb(64, 64, ResizePolicy.EXACT));

    for (int length : new int[] {200, jpeg.length / 2, jpeg.length - 100, jpeg.length - 2}) {
      assertReason(() -> pre.putEncoded(Arrays.copyOf(jpeg, length), pre.allocate(1)), Reason.UNDECODABLE_IMAGE);
    }
  }

  @Test
  void shouldRejectGarbageBytes() {
    ImagePreprocessor pre = new ImagePreprocessor(grey(8, 8, ResizePolicy.EXACT));
    byte[] garbage = noise(6, 500);
    byte[] fakePng = noise(7, 500);
    System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, 0, fakePng, 0, 8);

    assertReason(() -> pre.putEncoded(garbage, pre.allocate(1)), Reason.UNDECODABLE_IMAGE);
    assertReason(() -> pre.putEncoded(fakePng, pre.allocate(1)), Reason.UNDECODABLE_IMAGE);
  }

  @Test
  void shouldRejectAnEmptyImage() {
    ImagePreprocessor pre = new ImagePreprocessor(grey(8, 8, ResizePolicy.EXACT));
    assertReason(() -> pre.putEncoded(new byte[0], pre.allocate(1)), Reason.EMPTY_IMAGE);
  }

  @Test
  void shouldRejectMoreEncodedBytesThanTheLimit() throws Exception {
    byte[] png = png(greyImage(noise(8, 64), 8, 8));
    ImagePreprocessor pre = new ImagePreprocessor(grey(8, 8, ResizePolicy.EXACT), png.length - 1, 1_000_000);
    assertReason(() -> pre.putEncoded(png, pre.allocate(1)), Reason.IMAGE_TOO_LARGE);
  }

  @Test
  void shouldRejectADecompressionBombFromItsHeaderAlone() {
    ImagePreprocessor pre = new ImagePreprocessor(grey(8, 8, ResizePolicy.STRETCH));

    InvalidImageException e = assertReason(
        () -> pre.putEncoded(pngHeaderOnly(100_000, 100_000), pre.allocate(1)), Reason.IMAGE_DIMENSIONS_TOO_LARGE);

    assertThat(e.getMessage()).contains("100000×100000");
  }

  @Test
  void shouldRejectUnsupportedRawChannelCountsAndLengths() {
    ImagePreprocessor pre = new ImagePreprocessor(grey(2, 2, ResizePolicy.EXACT));

    assertReason(() -> pre.putRaw(new byte[8], 2, 2, 2, pre.allocate(1)), Reason.WRONG_CHANNEL_COUNT);
    assertReason(() -> pre.putRaw(new byte[16], 2, 2, 4, pre.allocate(1)), Reason.WRONG_CHANNEL_COUNT);
    assertReason(() -> pre.putRaw(new byte[5], 2, 2, 1, pre.allocate(1)), Reason.WRONG_CHANNEL_COUNT);
  }

  @Test
  void shouldLeaveTheBufferUnchangedOnFailure() throws Exception {
    ImagePreprocessor pre = new ImagePreprocessor(grey(2, 2, ResizePolicy.EXACT));
    FloatBuffer dst = pre.allocate(2);
    pre.putRaw(new byte[] {1, 2, 3, 4}, 2, 2, 1, dst);

    assertReason(() -> pre.putEncoded(noise(9, 100), dst), Reason.UNDECODABLE_IMAGE);
    assertReason(() -> pre.putRaw(new byte[9], 3, 3, 1, dst), Reason.WRONG_IMAGE_SIZE);

    assertThat(dst.position()).isEqualTo(4);
    assertThat(dst.get(4)).isEqualTo(0f);
  }

  @Test
  void shouldAppendImagesOneAfterAnother() throws Exception {
    ImagePreprocessor pre = new ImagePreprocessor(plain(1, 2, 1, ResizePolicy.EXACT));
    FloatBuffer dst = pre.allocate(2);

    pre.putRaw(new byte[] {0, (byte) 255}, 2, 1, 1, dst);
    pre.putEncoded(png(greyImage(new byte[] {(byte) 255, 0}, 2, 1)), dst);

    assertThat(dst.position()).isEqualTo(4);
    assertThat(new float[] {dst.get(0), dst.get(1), dst.get(2), dst.get(3)}).containsExactly(0f, 1f, 1f, 0f);
  }

  @Test
  void shouldAllocateADirectNativeOrderBufferForABatch() {
    ImagePreprocessor pre = new ImagePreprocessor(rgb(5, 4, ResizePolicy.EXACT));

    FloatBuffer buffer = pre.allocate(3);

    assertThat(pre.floatsPerImage()).isEqualTo(60);
    assertThat(buffer.isDirect()).isTrue();
    assertThat(buffer.order()).isEqualTo(ByteOrder.nativeOrder());
    assertThat(buffer.capacity()).isEqualTo(180);
    assertThat(buffer.position()).isZero();
    assertThat(buffer.limit()).isEqualTo(180);
  }

  // ---- helpers

  private interface Action {
    void run() throws Exception;
  }

  private static InvalidImageException assertReason(Action action, Reason reason) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(action::run);
    assertThat(thrown).isInstanceOf(InvalidImageException.class);
    InvalidImageException e = (InvalidImageException) thrown;
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
    return e;
  }

  private static float[] floats(ImagePreprocessor pre, byte[] encoded) throws InvalidImageException {
    FloatBuffer dst = pre.allocate(1);
    pre.putEncoded(encoded, dst);
    assertThat(dst.position()).isEqualTo(pre.floatsPerImage());
    float[] out = new float[pre.floatsPerImage()];
    dst.flip().get(out);
    return out;
  }

  private static float[] rawFloats(ImagePreprocessor pre, byte[] pixels, int w, int h, int c) throws InvalidImageException {
    FloatBuffer dst = pre.allocate(1);
    pre.putRaw(pixels, w, h, c, dst);
    assertThat(dst.position()).isEqualTo(pre.floatsPerImage());
    float[] out = new float[pre.floatsPerImage()];
    dst.flip().get(out);
    return out;
  }

  private static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }

  private static byte[] noise(long seed, int n) {
    byte[] bytes = new byte[n];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static BufferedImage greyImage(byte[] pixels, int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    int[] samples = new int[w * h];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = pixels[i] & 0xFF;
    }
    image.getRaster().setSamples(0, 0, w, h, 0, samples);
    return image;
  }

  private static BufferedImage rgbImage(byte[] pixels, int w, int h, int type) {
    BufferedImage image = new BufferedImage(w, h, type);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        image.setRGB(x, y, (pixels[i] & 0xFF) << 16 | (pixels[i + 1] & 0xFF) << 8 | (pixels[i + 2] & 0xFF));
      }
    }
    return image;
  }

  private static byte[] png(BufferedImage image) throws IOException {
    return encode(image, "png");
  }

  private static byte[] jpeg(BufferedImage image) throws IOException {
    return encode(image, "jpeg");
  }

  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, format, out)).isTrue();
    return out.toByteArray();
  }

  /** A PNG signature, a valid IHDR chunk declaring {@code width × height} 8-bit grey pixels and IEND: no pixels. */
  private static byte[] pngHeaderOnly(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(4 + 13).put(new byte[] {'I', 'H', 'D', 'R'})
        .putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    return ByteBuffer.allocate(8 + 4 + 17 + 4 + 12)
        .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})
        .putInt(13).put(ihdr.array()).putInt((int) crc.getValue())
        .put(new byte[] {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82})
        .array();
  }
}
