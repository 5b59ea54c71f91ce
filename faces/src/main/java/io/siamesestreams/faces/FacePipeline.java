package io.siamesestreams.faces;

import io.siamesestreams.faces.align.FaceAligner;
import io.siamesestreams.faces.convert.FaceApiConverter;
import io.siamesestreams.faces.detect.CloseUpFaceDetector;
import io.siamesestreams.faces.detect.DetectorManifest;
import io.siamesestreams.faces.detect.FaceBox;
import io.siamesestreams.faces.detect.TinyFaceDetector;
import io.siamesestreams.faces.image.RgbImage;
import io.siamesestreams.faces.landmark.FaceLandmarker;
import io.siamesestreams.faces.landmark.FaceLandmarks;
import io.siamesestreams.faces.landmark.LandmarkManifest;
import io.siamesestreams.onnx.ExecutionProvider;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames to aligned face chips: detect (tiny face detector, plus its close-up pass for faces that
 * fill most of the frame: {@link CloseUpFaceDetector}) → landmarks (68-point tiny net on each
 * detected box) → align (eyes to fixed positions in a 150 × 150 chip). Frames that are already
 * face crops skip detection ({@link #fromCrop}). Embedding the chips is the recognition bundle's job
 * ({@link FaceEmbedder} or core's {@code Encoder}).
 *
 * <p>Thread-safe. Owns the detector and the landmarker; close it once no call is in flight.
 */
public final class FacePipeline implements AutoCloseable {

  private final TinyFaceDetector detector;
  private final CloseUpFaceDetector faceFinder;
  private final FaceLandmarker landmarker;
  private final FaceAligner aligner;
  private final int detectorInputSize;

  /**
   * @param detectorInputSize the detector's input side (multiple of 32; face-api's default 416)
   */
  public FacePipeline(TinyFaceDetector detector, FaceLandmarker landmarker, FaceAligner aligner, int detectorInputSize) {
    this.detector = detector;
    this.faceFinder = new CloseUpFaceDetector(detector);
    this.landmarker = landmarker;
    this.aligner = aligner;
    this.detectorInputSize = detectorInputSize;
  }

  /**
   * Opens the detector and landmark bundles written by {@link FaceApiConverter} under
   * {@code convertedDir} ({@code face-detector/}, {@code face-landmarks/}), with the default aligner
   * and the detector's default input size.
   *
   * @param intraOpThreads ONNX Runtime intra-op threads per session; 0 = ONNX Runtime's default
   */
  public static FacePipeline open(Path convertedDir, int intraOpThreads) {
    return open(convertedDir, intraOpThreads, ExecutionProvider.CPU);
  }

  /** As above, the nets run by {@code provider}. */
  public static FacePipeline open(Path convertedDir, int intraOpThreads, ExecutionProvider provider) {
    TinyFaceDetector detector = TinyFaceDetector.open(convertedDir.resolve(FaceApiConverter.DETECTOR_DIR), intraOpThreads,
        provider);
    try {
      FaceLandmarker landmarker = FaceLandmarker.open(convertedDir.resolve(FaceApiConverter.LANDMARKS_DIR),
          intraOpThreads, provider);
      return new FacePipeline(detector, landmarker, new FaceAligner(), detector.manifest().defaultInputSize());
    } catch (RuntimeException e) {
      detector.close();
      throw e;
    }
  }

  /**
   * Whether {@code convertedDir} holds the detector and landmark bundles {@link #open} needs (e.g.
   * the parent folder of a {@code face-recognition} bundle written by {@link FaceApiConverter}).
   */
  public static boolean available(Path convertedDir) {
    return Files.isRegularFile(convertedDir.resolve(FaceApiConverter.DETECTOR_DIR)
            .resolve(DetectorManifest.FILE_NAME))
        && Files.isRegularFile(convertedDir.resolve(FaceApiConverter.LANDMARKS_DIR)
            .resolve(LandmarkManifest.FILE_NAME));
  }

  public TinyFaceDetector detector() {
    return detector;
  }

  public FaceLandmarker landmarker() {
    return landmarker;
  }

  public FaceAligner aligner() {
    return aligner;
  }

  /**
   * Every face in {@code frame}, best detector score first; empty when there is none (the service's
   * {@code NO_FACE} case). Faces that fill most of the frame (close-ups, face crops) are found by
   * the close-up pass ({@link CloseUpFaceDetector}); a frame known to be a face crop can still skip
   * detection with {@link #fromCrop}.
   */
  public List<DetectedFace> detect(BufferedImage frame) {
    return detect(RgbImage.of(frame));
  }

  /** As above, for an image already in RGB form. */
  public List<DetectedFace> detect(RgbImage image) {
    return fromRegions(detectBoxes(image).stream().map(box -> new FaceRegion(image, box)).toList());
  }

  /**
   * The detector's boxes in {@code image} that overlap it by at least one pixel, best score first (the
   * detection step of {@link #detect}).
   */
  public List<FaceBox> detectBoxes(RgbImage image) {
    return faceFinder.detect(image, detectorInputSize).stream()
        .filter(box -> box.overlaps(image.width(), image.height())).toList();
  }

  /**
   * A frame that is already a face crop: no detection; landmarks on the whole crop, then alignment.
   * The box is the whole crop with score 1.
   */
  public DetectedFace fromCrop(BufferedImage crop) {
    RgbImage image = RgbImage.of(crop);
    return fromRegions(List.of(FaceRegion.whole(image))).get(0);
  }

  /**
   * A crop of {@code frame} given by a known face box (e.g. a frame's {@code faceBox}): landmarks
   * in that box, then alignment from the whole frame. The box keeps the given score.
   *
   * @throws IllegalArgumentException when the box does not overlap the frame by at least one pixel
   */
  public DetectedFace fromBox(BufferedImage frame, FaceBox box) {
    return fromRegions(List.of(new FaceRegion(RgbImage.of(frame), box))).get(0);
  }

  /**
   * A face to locate and align: an image and the face's box in it (its score is the face's score).
   *
   * @param image the frame (or crop) the face is in
   * @param box the face in {@code image}'s pixels; clipped to the image and floored to whole pixels for the
   *     landmark net, as face-api crops it
   */
  public record FaceRegion(RgbImage image, FaceBox box) {

    /** The whole image as the face, score 1. */
    public static FaceRegion whole(RgbImage image) {
      return new FaceRegion(image, new FaceBox(0, 0, image.width(), image.height(), 1.0));
    }
  }

  /**
   * The faces of {@code regions}, in order: landmarks of each box, then each face aligned from its own image.
   * One region gives what {@link #fromBox} gives. The landmark net runs once per face: with one intra-op thread
   * a batch of 8 or 32 costs more per face than single faces (docs/BENCHMARKS.md, run 22).
   *
   * @throws IllegalArgumentException when a box does not overlap its image by at least one pixel (before any net
   *     runs)
   */
  public List<DetectedFace> fromRegions(List<FaceRegion> regions) {
    List<RgbImage> crops = new ArrayList<>(regions.size());
    List<int[]> origins = new ArrayList<>(regions.size());
    for (FaceRegion region : regions) {
      RgbImage image = region.image();
      if (!region.box().overlaps(image.width(), image.height())) {
        throw new IllegalArgumentException(
            "face box " + region.box() + " lies outside the " + image.width() + "×" + image.height() + " image");
      }
      int[] r = region.box().clippedPixels(image.width(), image.height());
      boolean whole = r[0] == 0 && r[1] == 0 && r[2] == image.width() && r[3] == image.height();
      crops.add(whole ? image : image.crop(r[0], r[1], r[2], r[3]));
      origins.add(r);
    }
    List<DetectedFace> faces = new ArrayList<>(regions.size());
    for (int i = 0; i < regions.size(); i++) {
      FaceRegion region = regions.get(i);
      FaceLandmarks points = landmarker.locate(crops.get(i)).shifted(origins.get(i)[0], origins.get(i)[1]);
      faces.add(new DetectedFace(region.box(), region.box().score(), points,
          aligner.align(region.image(), points).toBufferedImage()));
    }
    return faces;
  }

  @Override
  public void close() {
    try {
      landmarker.close();
    } finally {
      detector.close();
    }
  }
}
