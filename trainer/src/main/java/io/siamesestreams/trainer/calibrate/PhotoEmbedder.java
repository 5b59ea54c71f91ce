package io.siamesestreams.trainer.calibrate;

/**
 * One photo → one embedding, the way the service would embed it with this model. Implementations
 * own their ONNX Runtime sessions; close once done.
 */
public interface PhotoEmbedder extends AutoCloseable {

  /**
   * The embedding of one photo, or why it cannot be used.
   *
   * @param embedding the D floats, or null when skipped
   * @param skippedBecause null when embedded; otherwise the reason, for people
   */
  record Embedded(float[] embedding, String skippedBecause) {

    static Embedded of(float[] embedding) {
      return new Embedded(embedding, null);
    }

    static Embedded skipped(String reason) {
      return new Embedded(null, reason);
    }
  }

  /** Embeds the encoded photo (PNG or JPEG bytes). */
  Embedded embed(byte[] encoded);

  @Override
  void close();
}
