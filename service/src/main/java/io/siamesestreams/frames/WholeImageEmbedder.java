package io.siamesestreams.frames;

import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.preprocess.InvalidImageException;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * The frame embedder of a model that embeds whole frames: the image, preprocessed by the bundle's
 * {@link ImagePreprocessor} at decode time, is the frame's one input. A frame's {@code faceBox} is ignored.
 */
public final class WholeImageEmbedder implements FrameEmbedder {

  private final ImagePreprocessor preprocessor;

  public WholeImageEmbedder(ImagePreprocessor preprocessor) {
    this.preprocessor = preprocessor;
  }

  /** The decoded form: the encoder's input floats, ready to be copied into a batch. */
  record Preprocessed(float[] pixels) implements DecodedImage {}

  @Override
  public DecodedImage decode(byte[] encoded) throws InvalidImageException {
    float[] pixels = new float[preprocessor.floatsPerImage()];
    preprocessor.putEncoded(encoded, FloatBuffer.wrap(pixels));
    return new Preprocessed(pixels);
  }

  @Override
  public List<EncoderInput> frameInputs(DecodedImage image, FaceBox faceBox, boolean aligned) {
    return List.of(enrolmentInput(image, faceBox));
  }

  @Override
  public EncoderInput enrolmentInput(DecodedImage image, FaceBox faceBox) {
    return EncoderInput.wholeImage(((Preprocessed) image).pixels());
  }
}
