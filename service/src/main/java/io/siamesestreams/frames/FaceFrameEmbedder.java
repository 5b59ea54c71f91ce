package io.siamesestreams.frames;

import io.siamesestreams.faces.DetectedFace;
import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.faces.image.RgbImage;
import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.preprocess.InvalidImageException;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The frame embedder of a face model: the image is decoded once (with the same checks and reasons
 * as any frame, {@link ImagePreprocessor#decode}), its faces found by {@link FaceExtraction} (the
 * frame's {@code faceBox}, the whole crop, or detection; best detector score first), and each face's
 * aligned chip, preprocessed by the recognition bundle's preprocessor, is one input with its box
 * (rounded to whole pixels) and score. Owns the face nets ({@link FaceExtraction}).
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
  public List<EncoderInput> frameInputs(DecodedImage image, FaceBox faceBox) {
    FrameInputs inputs = batchInputs(List.of(image), Collections.singletonList(faceBox)).get(0);
    if (inputs.refused() != null) {
      throw inputs.refused();
    }
    return inputs.inputs();
  }

  /** Frames whose face box is refused leave the batch first; the others' faces are found together. */
  @Override
  public List<FrameInputs> batchInputs(List<DecodedImage> images, List<FaceBox> faceBoxes) {
    FrameInputs[] all = new FrameInputs[images.size()];
    List<RgbImage> accepted = new ArrayList<>(images.size());
    List<FaceBox> acceptedBoxes = new ArrayList<>(images.size());
    List<Integer> positions = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      RgbImage picture = ((Picture) images.get(i)).image();
      try {
        FaceExtraction.checkFaceBox(picture.width(), picture.height(), faceBoxes.get(i));
      } catch (IllegalArgumentException e) {
        all[i] = FrameInputs.refused(e);
        continue;
      }
      accepted.add(picture);
      acceptedBoxes.add(faceBoxes.get(i));
      positions.add(i);
    }
    List<List<DetectedFace>> found = accepted.isEmpty() ? List.of() : faces.faces(accepted, acceptedBoxes);
    for (int k = 0; k < found.size(); k++) {
      List<EncoderInput> inputs = new ArrayList<>(found.get(k).size());
      for (DetectedFace face : found.get(k)) {
        inputs.add(input(face));
      }
      all[positions.get(k)] = FrameInputs.of(inputs);
    }
    return List.of(all);
  }

  @Override
  public EncoderInput enrolmentInput(DecodedImage image, FaceBox faceBox) {
    return input(faces.enrolmentFace(((Picture) image).image().toBufferedImage(), faceBox));
  }

  private EncoderInput input(DetectedFace face) {
    RgbImage chip = RgbImage.of(face.chip());
    float[] floats = new float[preprocessor.floatsPerImage()];
    try {
      preprocessor.putRaw(chip.rgb(), chip.width(), chip.height(), 3, FloatBuffer.wrap(floats));
    } catch (InvalidImageException e) {
      throw new IllegalStateException("cannot preprocess a face chip: " + e.getMessage(), e);
    }
    return new EncoderInput(floats, face.box().pixels(), face.score());
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
