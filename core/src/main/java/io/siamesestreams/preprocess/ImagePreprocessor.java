package io.siamesestreams.preprocess;

import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.preprocess.InvalidImageException.Reason;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * The one preprocessing path, used by the trainer, the evaluator and the service: PNG/JPEG bytes or
 * raw 8-bit pixels → colour conversion → resize (per {@link ModelManifest.ResizePolicy}) →
 * {@code x = (p / 255 − mean[c]) / std[c]} → C×H×W floats (channel-major) appended to a direct,
 * native-order {@link FloatBuffer}.
 *
 * <p>Thread-safe: apart from its configuration it holds only per-thread image readers, reused
 * across images.
 *
 * <p>The steps, identical for both entry points (so a PNG of some pixels and {@link #putRaw} of the
 * same pixels give bit-identical floats):
 *
 * <ol>
 *   <li>Decoding ({@link #putEncoded} only): the bytes must start with the PNG or JPEG signature.
 *       The declared width × height is read from the header and checked against {@code maxPixels}
 *       before any pixel is decoded. Truncated or corrupt data (any decoder error or warning, or
 *       a PNG that does not end with its IEND chunk) is rejected. Greyscale images of any bit
 *       depth give one 8-bit channel ({@code round(v · 255 / (2^bits − 1))}); every other image
 *       gives 8-bit sRGB R, G, B as Java2D reports it (palettes expanded, 16-bit samples reduced).
 *       Alpha is dropped, not blended. Embedded colour profiles and EXIF orientation are ignored.
 *   <li>Colour conversion: grey → RGB copies the grey value into R, G and B; RGB → grey is ITU-R
 *       BT.601 luma {@code Y = round(0.299 R + 0.587 G + 0.114 B)}, computed in integers.
 *   <li>Resize: under {@code EXACT} the image must be {@code height × width}; under {@code STRETCH}
 *       an image of another size is resampled bilinearly with pixel centres aligned
 *       ({@code src = (dst + 0.5) · srcSize / dstSize − 0.5}, clamped to the edge), without
 *       rounding back to 8 bits. An image already of the right size is never resampled.
 *   <li>Normalisation per channel c: {@code x = (p / 255 − mean[c]) / std[c]} in float arithmetic,
 *       written channel-major (all of channel 0, then channel 1, …), rows top to bottom.
 * </ol>
 *
 * <p>On any failure {@code dst} is left untouched; if {@code dst} has fewer than
 * {@link #floatsPerImage()} floats remaining, a {@link java.nio.BufferOverflowException} is thrown
 * and {@code dst} is likewise unchanged.
 */
public final class ImagePreprocessor {

  /** Default cap on encoded image size: 4 MiB. */
  public static final int DEFAULT_MAX_ENCODED_BYTES = 4 * 1024 * 1024;
  /** Default cap on declared width × height: 40 megapixels. */
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final byte[] JPEG_SIGNATURE = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
  /** The IEND chunk every complete PNG ends with: length 0, "IEND", CRC. */
  private static final byte[] PNG_END = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

  private final ModelManifest.Input input;
  private final int maxEncodedBytes;
  private final long maxPixels;
  private final int channels;
  private final int height;
  private final int width;
  private final float[] mean;
  private final float[] std;
  /** normalized[c * 256 + p] = (p / 255 − mean[c]) / std[c]. */
  private final float[] normalized;
  /** Each thread's image readers by format (ImageIO readers are not thread-safe, and costly to create). */
  private final ThreadLocal<Map<String, DecodeSession>> decodeSessions = ThreadLocal.withInitial(HashMap::new);

  public ImagePreprocessor(ModelManifest.Input input) {
    this(input, DEFAULT_MAX_ENCODED_BYTES, DEFAULT_MAX_PIXELS);
  }

  /**
   * @param maxEncodedBytes larger encoded images are rejected with {@code IMAGE_TOO_LARGE}
   * @param maxPixels images whose header declares more pixels are rejected before decoding
   */
  public ImagePreprocessor(ModelManifest.Input input, int maxEncodedBytes, long maxPixels) {
    this.input = Objects.requireNonNull(input, "input");
    if (maxEncodedBytes <= 0 || maxPixels <= 0) {
      throw new IllegalArgumentException("maxEncodedBytes and maxPixels must be > 0");
    }
    this.maxEncodedBytes = maxEncodedBytes;
    this.maxPixels = maxPixels;
    this.channels = input.channels();
    this.height = input.height();
    this.width = input.width();
    int expectedChannels = input.colorMode() == ModelManifest.ColorMode.GRAY ? 1 : 3;
    if (input.colorMode() == null || channels != expectedChannels) {
      throw new IllegalArgumentException(
          "colorMode " + input.colorMode() + " does not match channels " + channels);
    }
    if (height < 1 || width < 1 || input.resize() == null) {
      throw new IllegalArgumentException("input needs height, width >= 1 and a resize policy: " + input);
    }
    if (input.mean() == null || input.std() == null
        || input.mean().length != channels || input.std().length != channels) {
      throw new IllegalArgumentException("mean and std need " + channels + " value(s) each");
    }
    this.mean = input.mean().clone();
    this.std = input.std().clone();
    this.normalized = new float[channels * 256];
    for (int c = 0; c < channels; c++) {
      if (!(std[c] > 0) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
        throw new IllegalArgumentException("std must be finite and > 0 and mean finite, channel " + c);
      }
      for (int p = 0; p < 256; p++) {
        normalized[c * 256 + p] = normalize(p, c);
      }
    }
  }

  public ModelManifest.Input input() {
    return input;
  }

  /** C × H × W: floats one image occupies. */
  public int floatsPerImage() {
    return channels * height * width;
  }

  /** A direct, native-order buffer for {@code images} images, position 0, limit = capacity. */
  public FloatBuffer allocate(int images) {
    if (images < 0) {
      throw new IllegalArgumentException("images must be >= 0, was " + images);
    }
    long bytes = (long) images * floatsPerImage() * Float.BYTES;
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(images + " images need " + bytes + " bytes, more than one buffer holds");
    }
    return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /**
   * Decodes a PNG or JPEG and appends its {@link #floatsPerImage()} floats at {@code dst}'s position.
   *
   * @throws InvalidImageException with a specific {@link InvalidImageException.Reason}; {@code dst} is then unchanged
   */
  public void putEncoded(byte[] encoded, FloatBuffer dst) throws InvalidImageException {
    putPixels(decode(encoded), dst);
  }

  /** Steps 2–4 for an image {@link #decode}d before: appends its {@link #floatsPerImage()} floats. */
  public void putPixels(Pixels pixels, FloatBuffer dst) throws InvalidImageException {
    dst.put(toFloats(pixels.data(), pixels.width(), pixels.height(), pixels.channels()));
  }

  /**
   * Appends raw interleaved 8-bit pixels (row-major, H×W×channels; channels 1 = grey, 3 = RGB).
   *
   * @throws InvalidImageException when the length or channel count is inconsistent, or the size is wrong under EXACT
   */
  public void putRaw(byte[] pixels, int width, int height, int channels, FloatBuffer dst)
      throws InvalidImageException {
    if (channels != 1 && channels != 3) {
      throw new InvalidImageException(Reason.WRONG_CHANNEL_COUNT,
          "raw pixels must have 1 (grey) or 3 (RGB) channels, had " + channels);
    }
    if (width < 1 || height < 1) {
      throw new InvalidImageException(Reason.WRONG_IMAGE_SIZE,
          "raw image must be at least 1×1, was " + width + "×" + height);
    }
    if ((long) width * height * channels != pixels.length) {
      throw new InvalidImageException(Reason.WRONG_CHANNEL_COUNT, "raw pixels hold " + pixels.length
          + " bytes, " + width + "×" + height + "×" + channels + " needs " + (long) width * height * channels);
    }
    dst.put(toFloats(pixels, width, height, channels));
  }

  /** Raw interleaved 8-bit pixels → normalised CHW floats of the manifest's size and colour mode. */
  private float[] toFloats(byte[] pixels, int srcWidth, int srcHeight, int srcChannels)
      throws InvalidImageException {
    boolean sameSize = srcWidth == width && srcHeight == height;
    if (!sameSize && input.resize() == ModelManifest.ResizePolicy.EXACT) {
      throw new InvalidImageException(Reason.WRONG_IMAGE_SIZE, "image is " + srcWidth + "×" + srcHeight
          + " (W×H), the model needs exactly " + width + "×" + height);
    }
    byte[] converted = convertChannels(pixels, srcWidth * srcHeight, srcChannels);
    float[] out = new float[floatsPerImage()];
    if (sameSize) {
      int plane = width * height;
      for (int c = 0; c < channels; c++) {
        int table = c * 256;
        int dstBase = c * plane;
        for (int i = 0, s = c; i < plane; i++, s += channels) {
          out[dstBase + i] = normalized[table + (converted[s] & 0xFF)];
        }
      }
    } else {
      resizeBilinear(converted, srcWidth, srcHeight, out);
    }
    return out;
  }

  private byte[] convertChannels(byte[] pixels, int count, int srcChannels) {
    if (srcChannels == channels) {
      return pixels;
    }
    byte[] converted = new byte[count * channels];
    if (channels == 1) {
      for (int i = 0, s = 0; i < count; i++, s += 3) {
        converted[i] = (byte) luma(pixels[s] & 0xFF, pixels[s + 1] & 0xFF, pixels[s + 2] & 0xFF);
      }
    } else {
      for (int i = 0, d = 0; i < count; i++, d += 3) {
        converted[d] = pixels[i];
        converted[d + 1] = pixels[i];
        converted[d + 2] = pixels[i];
      }
    }
    return converted;
  }

  /** ITU-R BT.601 luma, rounded half up: (299 R + 587 G + 114 B + 500) / 1000. */
  private static int luma(int r, int g, int b) {
    return (299 * r + 587 * g + 114 * b + 500) / 1000;
  }

  /** Bilinear resampling of interleaved pixels (already in the target channel count) into normalised CHW. */
  private void resizeBilinear(byte[] src, int srcWidth, int srcHeight, float[] out) {
    int[] x0 = new int[width];
    int[] x1 = new int[width];
    float[] fx = new float[width];
    sampleGrid(srcWidth, width, x0, x1, fx);
    int[] y0 = new int[height];
    int[] y1 = new int[height];
    float[] fy = new float[height];
    sampleGrid(srcHeight, height, y0, y1, fy);
    int plane = width * height;
    for (int x = 0; x < width; x++) {
      x0[x] *= channels;
      x1[x] *= channels;
    }
    for (int c = 0; c < channels; c++) {
      float m = mean[c];
      float s = std[c];
      for (int y = 0; y < height; y++) {
        int row0 = y0[y] * srcWidth * channels + c;
        int row1 = y1[y] * srcWidth * channels + c;
        float wy = fy[y];
        int o = c * plane + y * width;
        for (int x = 0; x < width; x++) {
          float p00 = src[row0 + x0[x]] & 0xFF;
          float p01 = src[row0 + x1[x]] & 0xFF;
          float p10 = src[row1 + x0[x]] & 0xFF;
          float p11 = src[row1 + x1[x]] & 0xFF;
          float top = p00 + fx[x] * (p01 - p00);
          float bottom = p10 + fx[x] * (p11 - p10);
          // Same expression as normalize(p, c), inlined for speed.
          out[o + x] = ((top + wy * (bottom - top)) / 255f - m) / s;
        }
      }
    }
  }

  private static void sampleGrid(int srcSize, int dstSize, int[] lo, int[] hi, float[] frac) {
    double scale = (double) srcSize / dstSize;
    for (int d = 0; d < dstSize; d++) {
      double s = Math.min(Math.max((d + 0.5) * scale - 0.5, 0), srcSize - 1);
      lo[d] = (int) Math.floor(s);
      hi[d] = Math.min(lo[d] + 1, srcSize - 1);
      frac[d] = (float) (s - lo[d]);
    }
  }

  private float normalize(float p, int c) {
    return (p / 255f - mean[c]) / std[c];
  }

  /**
   * A decoded image: interleaved 8-bit pixels, row-major, {@code height × width × channels}, with 1
   * (grey) or 3 (RGB) channels, before colour conversion, resize and normalisation.
   */
  public record Pixels(byte[] data, int width, int height, int channels) {}

  /**
   * Step 1 alone: decodes and checks a PNG or JPEG exactly as {@link #putEncoded} does (signature,
   * size limits, declared dimensions before decoding, truncation), for callers that need the image
   * itself (e.g. face detection); {@code putEncoded(e, dst)} ≡ {@code putPixels(decode(e), dst)}.
   *
   * @throws InvalidImageException with the same reasons as {@link #putEncoded}
   */
  public Pixels decode(byte[] encoded) throws InvalidImageException {
    if (encoded == null || encoded.length == 0) {
      throw new InvalidImageException(Reason.EMPTY_IMAGE, "image has zero bytes");
    }
    if (encoded.length > maxEncodedBytes) {
      throw new InvalidImageException(Reason.IMAGE_TOO_LARGE,
          "image has " + encoded.length + " bytes, the limit is " + maxEncodedBytes);
    }
    String format;
    if (startsWith(encoded, PNG_SIGNATURE)) {
      format = "png";
      // The PNG decoder accepts a file cut after its last image data; a complete file ends with IEND.
      if (!endsWith(encoded, PNG_END)) {
        throw new InvalidImageException(Reason.UNDECODABLE_IMAGE, "truncated png: no IEND chunk at the end");
      }
    } else if (startsWith(encoded, JPEG_SIGNATURE)) {
      format = "jpeg";
    } else {
      throw new InvalidImageException(Reason.UNDECODABLE_IMAGE, "not a PNG or JPEG (unknown signature)");
    }
    DecodeSession session = decodeSession(format);
    ImageReader reader = session.reader();
    session.warnings().clear();
    boolean clean = false;
    try (ImageInputStream stream = new ByteArrayImageInputStream(encoded)) {
      reader.setInput(stream, true, true);
      // Reads only the header: a decompression bomb is refused before its pixels are allocated.
      long declared = (long) reader.getWidth(0) * reader.getHeight(0);
      if (declared > maxPixels) {
        throw new InvalidImageException(Reason.IMAGE_DIMENSIONS_TOO_LARGE, "image declares "
            + reader.getWidth(0) + "×" + reader.getHeight(0) + " pixels, the limit is " + maxPixels);
      }
      if (declared <= 0) {
        throw new InvalidImageException(Reason.UNDECODABLE_IMAGE, "image declares no pixels");
      }
      BufferedImage image = reader.read(0);
      if (!session.warnings().isEmpty()) {
        // The JPEG decoder returns a partly grey image with a warning for truncated data.
        throw new InvalidImageException(Reason.UNDECODABLE_IMAGE,
            "corrupt or truncated " + format + ": " + session.warnings().get(0));
      }
      Pixels pixels = pixelsOf(image);
      clean = true;
      return pixels;
    } catch (IOException | RuntimeException e) {
      throw new InvalidImageException(Reason.UNDECODABLE_IMAGE,
          "corrupt or truncated " + format + ": " + e, e);
    } finally {
      reader.setInput(null);
      if (!clean) {
        // A reader that failed mid-read is not reused: its internal state is not specified.
        session.reader().dispose();
        decodeSessions.get().remove(format);
      }
    }
  }

  /**
   * This thread's reader for {@code format}, reused across images: looking a reader up in the
   * ImageIO registry and creating it costs about as much as decoding a 28 × 28 PNG.
   */
  private DecodeSession decodeSession(String format) throws InvalidImageException {
    Map<String, DecodeSession> sessions = decodeSessions.get();
    DecodeSession session = sessions.get(format);
    if (session != null) {
      return session;
    }
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
    if (!readers.hasNext()) {
      throw new InvalidImageException(Reason.UNDECODABLE_IMAGE, "no " + format + " decoder available");
    }
    ImageReader reader = readers.next();
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener(new IIOReadWarningListener() {
      @Override
      public void warningOccurred(ImageReader source, String warning) {
        warnings.add(warning);
      }
    });
    session = new DecodeSession(reader, warnings);
    sessions.put(format, session);
    return session;
  }

  /** A reusable reader and the warnings it reported for the current image. */
  private record DecodeSession(ImageReader reader, List<String> warnings) {}

  /** An {@link ImageInputStream} reading a byte array in place (no cache, no copy). */
  private static final class ByteArrayImageInputStream extends ImageInputStreamImpl {
    private final byte[] data;

    ByteArrayImageInputStream(byte[] data) {
      this.data = data;
    }

    @Override
    public int read() {
      bitOffset = 0;
      return streamPos < data.length ? data[(int) streamPos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      bitOffset = 0;
      if (len == 0) {
        return 0;
      }
      if (streamPos >= data.length) {
        return -1;
      }
      int n = (int) Math.min(len, data.length - streamPos);
      System.arraycopy(data, (int) streamPos, b, off, n);
      streamPos += n;
      return n;
    }

    @Override
    public long length() {
      return data.length;
    }

    /** Nothing to release; an empty finaliser also spares the GC a finaliser per image. */
    @Override
    @SuppressWarnings({"deprecation", "removal"})
    protected void finalize() {
    }
  }

  private static Pixels pixelsOf(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    ColorModel model = image.getColorModel();
    Pixels direct = directBytes(image, model, w, h);
    if (direct != null) {
      return direct;
    }
    if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(model instanceof IndexColorModel)) {
      // Read grey samples directly: getRGB would convert linear grey to sRGB and change the values.
      Raster raster = image.getRaster();
      int[] samples = raster.getSamples(raster.getMinX(), raster.getMinY(), w, h, 0, (int[]) null);
      int max = (1 << model.getComponentSize(0)) - 1;
      byte[] grey = new byte[w * h];
      for (int i = 0; i < grey.length; i++) {
        grey[i] = (byte) (max == 255 ? samples[i] : (int) Math.round(samples[i] * 255.0 / max));
      }
      return new Pixels(grey, w, h, 1);
    }
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0, d = 0; i < argb.length; i++, d += 3) {
      rgb[d] = (byte) (argb[i] >> 16);
      rgb[d + 1] = (byte) (argb[i] >> 8);
      rgb[d + 2] = (byte) argb[i];
    }
    return new Pixels(rgb, w, h, 3);
  }

  /**
   * The pixels of an 8-bit grey or 8-bit sRGB image (with or without straight alpha), read from
   * its byte raster directly; null for any other layout. Gives exactly what the general path
   * gives (raster samples for grey, {@code getRGB} for sRGB, which for 8-bit straight-alpha sRGB
   * returns the stored components), without a per-pixel colour-model call.
   */
  private static Pixels directBytes(BufferedImage image, ColorModel model, int w, int h) {
    Raster raster = image.getRaster();
    if (!(model instanceof ComponentColorModel) || model.isAlphaPremultiplied()
        || model.getTransferType() != DataBuffer.TYPE_BYTE
        || !(raster.getSampleModel() instanceof PixelInterleavedSampleModel sampleModel)
        || !(raster.getDataBuffer() instanceof DataBufferByte buffer) || buffer.getNumBanks() != 1
        || raster.getSampleModelTranslateX() != 0 || raster.getSampleModelTranslateY() != 0) {
      return null;
    }
    for (int size : model.getComponentSize()) {
      if (size != 8) {
        return null;
      }
    }
    int channels;
    if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && model.getNumColorComponents() == 1) {
      channels = 1;
    } else if (model.getColorSpace().isCS_sRGB() && model.getNumColorComponents() == 3) {
      channels = 3;
    } else {
      return null;
    }
    byte[] data = buffer.getData();
    int base = buffer.getOffset();
    int[] bandOffsets = sampleModel.getBandOffsets();
    int pixelStride = sampleModel.getPixelStride();
    int scanlineStride = sampleModel.getScanlineStride();
    byte[] out = new byte[w * h * channels];
    int d = 0;
    for (int y = 0; y < h; y++) {
      int row = base + y * scanlineStride;
      if (channels == 1) {
        int b0 = row + bandOffsets[0];
        for (int x = 0; x < w; x++) {
          out[d++] = data[b0 + x * pixelStride];
        }
      } else {
        int b0 = row + bandOffsets[0];
        int b1 = row + bandOffsets[1];
        int b2 = row + bandOffsets[2];
        for (int x = 0, s = 0; x < w; x++, s += pixelStride) {
          out[d++] = data[b0 + s];
          out[d++] = data[b1 + s];
          out[d++] = data[b2 + s];
        }
      }
    }
    return new Pixels(out, w, h, channels);
  }

  private static boolean endsWith(byte[] data, byte[] suffix) {
    if (data.length < suffix.length) {
      return false;
    }
    int offset = data.length - suffix.length;
    for (int i = 0; i < suffix.length; i++) {
      if (data[offset + i] != suffix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(byte[] data, byte[] prefix) {
    if (data.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
