package io.siamesestreams.frames;

import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.preprocess.InvalidImageException;
import io.siamesestreams.records.DeadLetters;
import java.util.List;

/**
 * What a model does to a frame's image, the one model-specific step of the frame path (the rest —
 * validation, de-duplication, batching, the encoder call, matching — is the same for every model):
 * the image bytes are decoded once ({@link #decode}), and the decoded image gives zero or more encoder
 * inputs ({@link #frameInputs}): the whole image for a model that embeds frames, the aligned chip of
 * each face for a face model. Inputs of many frames are embedded together in one encoder call.
 *
 * <p>Implementations are thread-safe (one per loaded model, {@code io.siamesestreams.model.LoadedModel},
 * shared by every stream thread) and own the native sessions they open (the face nets); the encoder is
 * the {@code LoadedModel}'s.
 */
public interface FrameEmbedder extends AutoCloseable {

  /**
   * Decodes and checks a frame's (or enrolment's) image bytes, once.
   *
   * @throws InvalidImageException with the reason that becomes the frame's dead-letter reason
   */
  DecodedImage decode(byte[] encoded) throws InvalidImageException;

  /**
   * The encoder inputs of one frame, best first; empty when the model finds nothing to embed (a face
   * model and a frame without a face).
   *
   * @param faceBox the frame's own {@code faceBox}, or null
   * @param aligned the frame's {@code aligned}: the image is one face chip, aligned as this model aligns
   *     faces (never with a {@code faceBox})
   * @throws InvalidFieldException when {@code faceBox} does not lie in the image (field faceBox), or an
   *     aligned chip is not the size of the model's chips (field aligned)
   */
  List<EncoderInput> frameInputs(DecodedImage image, FaceBox faceBox, boolean aligned);

  /** A frame field that does not fit the frame's image; {@link #reason()} is its dead-letter reason. */
  final class InvalidFieldException extends IllegalArgumentException {

    private final String field;

    public InvalidFieldException(String field, String message) {
      super(message);
      this.field = field;
    }

    /** INVALID_FIELD:&lt;field&gt;, as the stream dead-letters the frame and the API answers. */
    public String reason() {
      return DeadLetters.invalidField(field);
    }
  }

  /**
   * The one encoder input of an enrolment image.
   *
   * @param faceBox the enrolment's {@code faceBoxes} entry for this image, or null
   * @throws IllegalArgumentException when {@code faceBox} does not lie in the image
   */
  EncoderInput enrolmentInput(DecodedImage image, FaceBox faceBox);

  /** Closes what this embedder opened itself (never the model's encoder). */
  @Override
  default void close() {}

  /** An image decoded by {@link #decode}, in the form its embedder needs; opaque to everything else. */
  interface DecodedImage {}

  /**
   * One input of the encoder.
   *
   * @param pixels the preprocessed image, {@code C×H×W} floats of the encoder's input
   * @param faceBox where the face is in the frame's image (pixels), or null for the whole image
   * @param faceScore the face detector's score (1 for a given box or a crop); NaN for the whole image
   */
  record EncoderInput(float[] pixels, FaceBox faceBox, double faceScore) {

    /** The whole image as the one input. */
    public static EncoderInput wholeImage(float[] pixels) {
      return new EncoderInput(pixels, null, Double.NaN);
    }

    /** Whether this input is a face (its event carries {@code faceBox}, {@code faceScore}, …). */
    public boolean isFace() {
      return faceBox != null;
    }
  }
}
