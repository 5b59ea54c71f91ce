package io.siamesestreams.frames;

import io.siamesestreams.faces.DetectedFace;
import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.faces.image.RgbImage;
import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.preprocess.InvalidImageException;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The frame embedder of a face model: the image is decoded once (with the same checks and reasons
 * as any frame, {@link ImagePreprocessor#decode}), its faces found by {@link FaceExtraction} (the
 * frame's {@code faceBox}, the whole crop, or detection; best detector score first), and each face's
 * aligned chip, preprocessed by the recognition bundle's preprocessor, is one input with its box
 * (rounded to whole pixels) and score. A frame that is an aligned chip already ({@code aligned}) is
 * preprocessed as it is. Owns the face nets ({@link FaceExtraction}).
 */
public final class FaceFrameEmbedder implements FrameEmbedder {

  private final FaceExtraction faces;
  private final ImagePreprocessor preprocessor;

  /**
   * @param faces the face nets; closed with this embedder
   * @param preprocessor the recognition bundle's preprocessor (the chips' floats)
   */
  public FaceFrameEmbedder(FaceExtraction faces, ImagePreprocessor preprocessor) {
    this.faces = faces;
    this.preprocessor = preprocessor;
  }

  /** The decoded form: the image itself, for the detector and the alignment. */
  record Picture(RgbImage image) implements DecodedImage {}

  @Override
  public DecodedImage decode(byte[] encoded) throws InvalidImageException {
    ImagePreprocessor.Pixels pixels = preprocessor.decode(encoded);
    byte[] rgb = pixels.data();
    if (pixels.channels() == 1) {
      rgb = new byte[pixels.data().length * 3];
      for (int i = 0, d = 0; i < pixels.data().length; i++, d += 3) {
        rgb[d] = pixels.data()[i];
        rgb[d + 1] = pixels.data()[i];
        rgb[d + 2] = pixels.data()[i];
      }
    }
    return new Picture(new RgbImage(pixels.width(), pixels.height(), rgb));
  }

  @Override
  public List<EncoderInput> frameInputs(DecodedImage image, FaceBox faceBox, boolean aligned) {
    if (aligned) {
      return List.of(alignedChip(((Picture) image).image()));
    }
    List<DetectedFace> found;
    try {
      found = faces.faces(((Picture) image).image(), faceBox);
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException("faceBox", e.getMessage());
    }
    List<EncoderInput> inputs = new ArrayList<>(found.size());
    for (DetectedFace face : found) {
      inputs.add(input(face));
    }
    return inputs;
  }

  @Override
  public EncoderInput enrolmentInput(DecodedImage image, FaceBox faceBox) {
    return input(faces.enrolmentFace(((Picture) image).image().toBufferedImage(), faceBox));
  }

  /**
   * An aligned chip as the one input, as it is: box the whole chip, score 1.
   *
   * @throws InvalidFieldException (aligned) when it is not the size of the recognition net's input
   */
  private EncoderInput alignedChip(RgbImage chip) {
    int width = preprocessor.input().width();
    int height = preprocessor.input().height();
    if (chip.width() != width || chip.height() != height) {
      throw new InvalidFieldException("aligned", "an aligned chip must be " + width + "x" + height
          + " (the recognition net's input), was " + chip.width() + "x" + chip.height());
    }
    return new EncoderInput(floats(chip), FaceBox.ofPixels(0, 0, width, height), 1.0);
  }

  private EncoderInput input(DetectedFace face) {
    return new EncoderInput(floats(RgbImage.of(face.chip())), face.box().pixels(), face.score());
  }

  /** A face chip preprocessed by the recognition bundle's preprocessor. */
  private float[] floats(RgbImage chip) {
    float[] floats = new float[preprocessor.floatsPerImage()];
    try {
      preprocessor.putRaw(chip.rgb(), chip.width(), chip.height(), 3, FloatBuffer.wrap(floats));
    } catch (InvalidImageException e) {
      throw new IllegalStateException("cannot preprocess a face chip: " + e.getMessage(), e);
    }
    return floats;
  }

  /** The face nets (detector, landmarks, alignment). */
  public FaceExtraction faces() {
    return faces;
  }

  @Override
  public void close() {
    faces.close();
  }
}
