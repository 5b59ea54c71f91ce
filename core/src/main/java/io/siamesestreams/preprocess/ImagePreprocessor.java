package io.siamesestreams.preprocess;

import io.siamesestreams.bundle.ModelManifest;
import java.nio.FloatBuffer;

/**
 * The one preprocessing path, used by the trainer, the evaluator and the service: PNG/JPEG bytes or
 * raw 8-bit pixels → colour conversion → resize (per {@link ModelManifest.ResizePolicy}) →
 * {@code x = (p / 255 − mean[c]) / std[c]} → C×H×W floats (channel-major) appended to a direct,
 * native-order {@link FloatBuffer}.
 *
 * <p>Thread-safe and stateless apart from its configuration.
 */
public final class ImagePreprocessor {

  /** Default cap on encoded image size: 4 MiB. */
  public static final int DEFAULT_MAX_ENCODED_BYTES = 4 * 1024 * 1024;
  /** Default cap on declared width × height: 40 megapixels. */
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

  public ImagePreprocessor(ModelManifest.Input input) {
    this(input, DEFAULT_MAX_ENCODED_BYTES, DEFAULT_MAX_PIXELS);
  }

  /**
   * @param maxEncodedBytes larger encoded images are rejected with {@code IMAGE_TOO_LARGE}
   * @param maxPixels images whose header declares more pixels are rejected before decoding
   */
  public ImagePreprocessor(ModelManifest.Input input, int maxEncodedBytes, long maxPixels) {
    throw new UnsupportedOperationException("TODO");
  }

  public ModelManifest.Input input() {
    throw new UnsupportedOperationException("TODO");
  }

  /** C × H × W: floats one image occupies. */
  public int floatsPerImage() {
    throw new UnsupportedOperationException("TODO");
  }

  /** A direct, native-order buffer for {@code images} images, position 0, limit = capacity. */
  public FloatBuffer allocate(int images) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Decodes a PNG or JPEG and appends its {@link #floatsPerImage()} floats at {@code dst}'s position.
   *
   * @throws InvalidImageException with a specific {@link InvalidImageException.Reason}; {@code dst} is then unchanged
   */
  public void putEncoded(byte[] encoded, FloatBuffer dst) throws InvalidImageException {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Appends raw interleaved 8-bit pixels (row-major, H×W×channels; channels 1 = grey, 3 = RGB).
   *
   * @throws InvalidImageException when the length or channel count is inconsistent, or the size is wrong under EXACT
   */
  public void putRaw(byte[] pixels, int width, int height, int channels, FloatBuffer dst)
      throws InvalidImageException {
    throw new UnsupportedOperationException("TODO");
  }
}
