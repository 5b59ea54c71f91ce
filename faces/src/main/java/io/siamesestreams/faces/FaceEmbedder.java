package io.siamesestreams.faces;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.embedding.Encoder;
import io.siamesestreams.faces.image.RgbImage;
import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.preprocess.InvalidImageException;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Embeds aligned face chips with the recognition bundle through core's {@link Encoder} and
 * {@link ImagePreprocessor} (the one preprocessing path): chips must be the bundle's input size
 * (150 × 150 for face-api's net; others are resized by the manifest's policy).
 *
 * <p>Thread-safe. Owns the encoder.
 */
public final class FaceEmbedder implements AutoCloseable {

  private final Encoder encoder;

  public FaceEmbedder(Encoder encoder) {
    this.encoder = encoder;
  }

  /** Opens the recognition bundle (e.g. {@code out/face-recognition}). */
  public static FaceEmbedder open(ModelBundle recognition, int intraOpThreads) {
    return new FaceEmbedder(Encoder.open(recognition, intraOpThreads));
  }

  public Encoder encoder() {
    return encoder;
  }

  /** Descriptor dimension D (128). */
  public int dimension() {
    return encoder.dimension();
  }

  /** One descriptor per chip, in one batch: {@code result[i]} has D floats. */
  public float[][] embed(List<BufferedImage> chips) {
    ImagePreprocessor preprocessor = encoder.preprocessor();
    FloatBuffer batch = preprocessor.allocate(chips.size());
    for (BufferedImage chip : chips) {
      RgbImage rgb = RgbImage.of(chip);
      try {
        preprocessor.putRaw(rgb.rgb(), rgb.width(), rgb.height(), 3, batch);
      } catch (InvalidImageException e) {
        throw new IllegalArgumentException("cannot preprocess a face chip: " + e.getMessage(), e);
      }
    }
    float[] flat = encoder.embed(batch, chips.size());
    int d = encoder.dimension();
    float[][] out = new float[chips.size()][d];
    for (int i = 0; i < out.length; i++) {
      System.arraycopy(flat, i * d, out[i], 0, d);
    }
    return out;
  }

  @Override
  public void close() {
    encoder.close();
  }
}
