package io.siamesestreams.frames;

import com.fasterxml.jackson.databind.JsonNode;
import io.siamesestreams.faces.DetectedFace;
import io.siamesestreams.faces.FacePipeline;
import io.siamesestreams.faces.convert.FaceApiConverter;
import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.faces.image.RgbImage;
import io.siamesestreams.onnx.ExecutionProvider;
import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.preprocess.InvalidImageException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * The face path of a face model: a frame's image → the aligned 150 × 150 face chips the recognition
 * bundle embeds. Which path a frame takes:
 *
 * <ol>
 *   <li>the frame has a {@code faceBox}: no detection, that box is the frame's one face
 *       ({@link FacePipeline#fromBox}, score 1);
 *   <li>the model's {@link FaceModelConfig} says frames are CROPS: no detection, the whole image
 *       is the one face ({@link FacePipeline#fromCrop});
 *   <li>otherwise the tiny face detector finds every face ({@link FacePipeline#detect}, best score
 *       first); none → no face (the service's NO_FACE event).
 * </ol>
 *
 * Enrolment images give exactly one face: the enrolment's {@code faceBoxes} entry for the image
 * when given (as a frame's {@code faceBox}); else under CROPS the whole image; otherwise the
 * largest detected face, and when the detector finds none the whole image is taken as a face crop
 * (the tiny detector misses faces that fill more than about half of the image, which is what
 * portraits and crops do). Measured on the sample photos: re-aligning an aligned 150 × 150 chip
 * that way moves its descriptor by 0.06–0.33 (once 0.61, when the detector fired inside the chip),
 * while a face box gives the detection's own chip exactly; so enrol with face boxes when they are
 * known.
 *
 * <p>A face model folder ({@link #isFaceModel}) holds the three bundles written by
 * {@code siamese convert faceapi}: {@code face-recognition/} (a core model bundle),
 * {@code face-detector/}, {@code face-landmarks/}, and optionally {@value FaceModelConfig#FILE_NAME}.
 *
 * <p>Thread-safe. Owns the detector and landmark sessions; close it once no call is in flight.
 */
public final class FaceExtraction implements AutoCloseable {

  private final FacePipeline pipeline;
  private final FaceModelConfig config;

  public FaceExtraction(FacePipeline pipeline, FaceModelConfig config) {
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Whether {@code folder} is a face model folder: {@code face-recognition/model.json} plus the
   * detector and landmark bundles ({@link FacePipeline#available}).
   */
  public static boolean isFaceModel(Path folder) {
    return Files.isRegularFile(recognitionBundle(folder).resolve("model.json")) && FacePipeline.available(folder);
  }

  /** The recognition bundle of a face model folder. */
  public static Path recognitionBundle(Path folder) {
    return folder.resolve(FaceApiConverter.RECOGNITION_DIR);
  }

  /**
   * Opens the detector and landmark nets of the face model folder and reads its
   * {@value FaceModelConfig#FILE_NAME}.
   *
   * @param intraOpThreads ONNX Runtime intra-op threads per session; 0 = ONNX Runtime's default
   */
  public static FaceExtraction open(Path folder, int intraOpThreads) {
    return open(folder, intraOpThreads, ExecutionProvider.CPU);
  }

  /** As above, the nets run by {@code provider}. */
  public static FaceExtraction open(Path folder, int intraOpThreads, ExecutionProvider provider) {
    FaceModelConfig config = FaceModelConfig.read(folder);
    return new FaceExtraction(FacePipeline.open(folder, intraOpThreads, provider), config);
  }

  public FaceModelConfig config() {
    return config;
  }

  public FacePipeline pipeline() {
    return pipeline;
  }

  /**
   * The faces of a frame's image, by the rules above.
   *
   * @param faceBox the frame's own face box, or null
   * @throws IllegalArgumentException when {@code faceBox} does not overlap the image
   */
  public List<DetectedFace> faces(BufferedImage image, FaceBox faceBox) {
    return faces(RgbImage.of(image), faceBox);
  }

  /** As above, for an image already in RGB form (a decoded frame). */
  public List<DetectedFace> faces(RgbImage image, FaceBox faceBox) {
    checkFaceBox(image.width(), image.height(), faceBox);
    if (faceBox != null) {
      return pipeline.fromRegions(List.of(new FacePipeline.FaceRegion(image,
          new FaceBox(faceBox.x(), faceBox.y(), faceBox.width(), faceBox.height(), 1.0))));
    }
    if (config.frames() == FaceModelConfig.FrameKind.CROPS) {
      return pipeline.fromRegions(List.of(FacePipeline.FaceRegion.whole(image)));
    }
    return pipeline.detect(image);
  }

  /**
   * Checks a frame's own face box against its {@code width × height} image.
   *
   * @param faceBox the frame's face box, or null (always accepted)
   * @throws IllegalArgumentException when {@code faceBox} does not overlap the image by at least one pixel
   */
  private static void checkFaceBox(int width, int height, FaceBox faceBox) {
    if (faceBox != null && !faceBox.overlaps(width, height)) {
      throw new IllegalArgumentException("faceBox " + faceBox + " lies outside the " + width + "×" + height + " image");
    }
  }

  /**
   * The one face of an enrolment image, by the rules above; with {@code faceBox} (the enrolment's
   * {@code faceBoxes} entry) that box, as for a frame.
   *
   * @throws IllegalArgumentException when {@code faceBox} does not overlap the image
   */
  public DetectedFace enrolmentFace(BufferedImage image, FaceBox faceBox) {
    if (faceBox != null) {
      return faces(image, faceBox).get(0);
    }
    if (config.frames() == FaceModelConfig.FrameKind.WHOLE) {
      List<DetectedFace> faces = pipeline.detect(image);
      if (!faces.isEmpty()) {
        return faces.stream().max(Comparator.comparingDouble(face -> face.box().area())).orElseThrow();
      }
    }
    return pipeline.fromCrop(image);
  }

  /**
   * Decodes an enrolment image (validated by {@code preprocessor} first, so the same limits and
   * reasons apply as to frames) and appends its face chip, preprocessed, at {@code dst}'s position.
   *
   * @param faceBox the face in the image, or null to find it
   * @throws InvalidImageException when the image is not a valid PNG or JPEG; {@code dst} unchanged
   * @throws IllegalArgumentException when {@code faceBox} does not overlap the image
   */
  public void putEnrolmentFace(byte[] encoded, FaceBox faceBox, ImagePreprocessor preprocessor,
      FloatBuffer dst) throws InvalidImageException {
    FloatBuffer scratch = preprocessor.allocate(1);
    preprocessor.putEncoded(encoded, scratch);
    BufferedImage image = decode(encoded);
    RgbImage chip = RgbImage.of(enrolmentFace(image, faceBox).chip());
    preprocessor.putRaw(chip.rgb(), chip.width(), chip.height(), 3, dst);
  }

  /**
   * Entry {@code index} of an enrolment's {@code faceBoxes} JSON array: null when the array or the
   * entry is absent or null.
   *
   * @throws IllegalArgumentException when the entry is not a box of integers x, y, width, height
   */
  public static FaceBox faceBox(JsonNode faceBoxes, int index) {
    if (faceBoxes == null || faceBoxes.isNull()) {
      return null;
    }
    if (!faceBoxes.isArray()) {
      throw new IllegalArgumentException("faceBoxes must be an array");
    }
    JsonNode box = faceBoxes.get(index);
    if (box == null || box.isNull()) {
      return null;
    }
    for (String field : new String[] {"x", "y", "width", "height"}) {
      if (box.get(field) == null || !box.get(field).isIntegralNumber()) {
        throw new IllegalArgumentException("faceBoxes[" + index + "]." + field + " must be an integer");
      }
    }
    return FaceBox.ofPixels(box.get("x").asInt(), box.get("y").asInt(), box.get("width").asInt(),
        box.get("height").asInt());
  }

  /**
   * Decodes PNG or JPEG bytes that a {@link FrameDecoder} (or an {@link ImagePreprocessor}) has
   * already accepted.
   *
   * @throws InvalidImageException (UNDECODABLE_IMAGE) when ImageIO cannot read them after all
   */
  public static BufferedImage decode(byte[] encoded) throws InvalidImageException {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
      if (image == null) {
        throw new InvalidImageException(InvalidImageException.Reason.UNDECODABLE_IMAGE, "not a PNG or JPEG");
      }
      return image;
    } catch (IOException e) {
      throw new InvalidImageException(InvalidImageException.Reason.UNDECODABLE_IMAGE,
          "cannot decode the image: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    pipeline.close();
  }
}
