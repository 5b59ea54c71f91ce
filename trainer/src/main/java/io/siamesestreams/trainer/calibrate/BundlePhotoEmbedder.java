package io.siamesestreams.trainer.calibrate;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.embedding.Encoder;
import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.preprocess.InvalidImageException;
import java.nio.FloatBuffer;

/**
 * A plain model bundle (e.g. a trained one): each photo goes through core's one preprocessing path
 * ({@link ImagePreprocessor}: decode, colour, resize by the manifest's policy, normalise) and the
 * encoder, as the service embeds a frame. Photos the preprocessor rejects (not PNG/JPEG, wrong size
 * under {@code EXACT}, too large) are skipped with its reason.
 */
final class BundlePhotoEmbedder implements PhotoEmbedder {

  private final Encoder encoder;
  private final FloatBuffer one;

  BundlePhotoEmbedder(ModelBundle bundle, int intraOpThreads) {
    this.encoder = Encoder.open(bundle, intraOpThreads);
    this.one = encoder.preprocessor().allocate(1);
  }

  @Override
  public Embedded embed(byte[] encoded) {
    one.clear();
    try {
      encoder.preprocessor().putEncoded(encoded, one);
    } catch (InvalidImageException e) {
      return Embedded.skipped(e.getMessage());
    }
    return Embedded.of(encoder.embed(one, 1));
  }

  @Override
  public void close() {
    encoder.close();
  }
}
