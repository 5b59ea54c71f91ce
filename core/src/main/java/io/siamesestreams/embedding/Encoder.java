package io.siamesestreams.embedding;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.preprocess.ImagePreprocessor;
import java.nio.FloatBuffer;

/**
 * Embeds batches of preprocessed images with the bundle's {@code encoder.onnx} through ONNX Runtime.
 *
 * <p>Uses the JVM's single {@code OrtEnvironment}; owns its session options and session and closes
 * them in reverse order. Input and output names are read from the model and checked against the
 * manifest. {@link #embed} may be called from several threads (ONNX Runtime sessions are thread-safe).
 */
public final class Encoder implements AutoCloseable {

  /** Opens the encoder with ONNX Runtime's default intra-op thread count. */
  public static Encoder open(ModelBundle bundle) {
    return open(bundle, 0);
  }

  /**
   * @param intraOpThreads ONNX Runtime intra-op threads; 0 = ONNX Runtime's default
   */
  public static Encoder open(ModelBundle bundle, int intraOpThreads) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The preprocessor matching this encoder's input. */
  public ImagePreprocessor preprocessor() {
    throw new UnsupportedOperationException("TODO");
  }

  /** Embedding dimension D. */
  public int dimension() {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Embeds {@code count} images.
   *
   * @param images direct native-order buffer holding at least {@code count × C×H×W} floats from position 0
   * @return {@code count × D} floats, row-major (embedding i at offset {@code i × D})
   */
  public float[] embed(FloatBuffer images, int count) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public void close() {
    throw new UnsupportedOperationException("TODO");
  }
}
