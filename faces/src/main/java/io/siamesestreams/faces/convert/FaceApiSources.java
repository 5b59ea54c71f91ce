package io.siamesestreams.faces.convert;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Constants read from face-api's own TypeScript sources inside the npm package, so that the
 * converted bundles carry the package's values rather than copies typed in here.
 *
 * @param recognitionMeanRgb {@code meanRgb} in {@code src/faceRecognitionNet/FaceRecognitionNet.ts} (0..255)
 * @param detectorMeanRgb {@code MEAN_RGB} in {@code src/tinyFaceDetector/const.ts} (0..255)
 * @param detectorAnchors {@code BOX_ANCHORS} in {@code src/tinyFaceDetector/const.ts}, [w, h] in grid cells
 * @param detectorIouThreshold {@code IOU_THRESHOLD} in {@code src/tinyFaceDetector/const.ts}
 * @param landmarkMeanRgb {@code meanRgb} in {@code src/faceFeatureExtractor/TinyFaceFeatureExtractor.ts} (0..255)
 * @param landmarkInputSize the size passed to {@code toBatchTensor} in the same file
 */
public record FaceApiSources(
    float[] recognitionMeanRgb,
    float[] detectorMeanRgb,
    List<float[]> detectorAnchors,
    double detectorIouThreshold,
    float[] landmarkMeanRgb,
    int landmarkInputSize) {

  static final String RECOGNITION_NET = "src/faceRecognitionNet/FaceRecognitionNet.ts";
  static final String DETECTOR_CONSTANTS = "src/tinyFaceDetector/const.ts";
  static final String LANDMARK_EXTRACTOR = "src/faceFeatureExtractor/TinyFaceFeatureExtractor.ts";

  private static final String NUMBER = "(-?[0-9]+(?:\\.[0-9]+)?)";
  private static final Pattern MEAN_ARRAY = Pattern.compile(
      "(?:meanRgb|MEAN_RGB)[^=]*=\\s*\\[\\s*" + NUMBER + ",\\s*" + NUMBER + ",\\s*" + NUMBER + "\\s*]");
  private static final Pattern POINT = Pattern.compile("new Point\\(\\s*" + NUMBER + ",\\s*" + NUMBER + "\\s*\\)");
  private static final Pattern IOU = Pattern.compile("IOU_THRESHOLD\\s*=\\s*" + NUMBER);
  private static final Pattern BATCH_SIZE = Pattern.compile("toBatchTensor\\(\\s*([0-9]+)");

  /**
   * Parses the constants.
   *
   * @throws IllegalArgumentException naming the file when a source is missing or a constant is not found
   */
  public static FaceApiSources read(NpmPackage npm) {
    String recognition = source(npm, RECOGNITION_NET);
    String detector = source(npm, DETECTOR_CONSTANTS);
    String landmark = source(npm, LANDMARK_EXTRACTOR);
    int anchorsStart = detector.indexOf("BOX_ANCHORS");
    if (anchorsStart < 0) {
      throw new IllegalArgumentException(DETECTOR_CONSTANTS + ": no BOX_ANCHORS");
    }
    int anchorsEnd = detector.indexOf("];", anchorsStart);
    Matcher point = POINT.matcher(detector.substring(anchorsStart, anchorsEnd < 0 ? detector.length() : anchorsEnd));
    List<float[]> anchors = new ArrayList<>();
    while (point.find()) {
      anchors.add(new float[] {Float.parseFloat(point.group(1)), Float.parseFloat(point.group(2))});
    }
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException(DETECTOR_CONSTANTS + ": BOX_ANCHORS holds no points");
    }
    return new FaceApiSources(
        mean(recognition, RECOGNITION_NET),
        mean(detector, DETECTOR_CONSTANTS),
        List.copyOf(anchors),
        Double.parseDouble(find(IOU, detector, DETECTOR_CONSTANTS, "IOU_THRESHOLD").group(1)),
        mean(landmark, LANDMARK_EXTRACTOR),
        Integer.parseInt(find(BATCH_SIZE, landmark, LANDMARK_EXTRACTOR, "toBatchTensor(size)").group(1)));
  }

  private static String source(NpmPackage npm, String path) {
    if (!npm.contains(path)) {
      throw new IllegalArgumentException(npm.source() + " has no " + path
          + "; the converter reads face-api's architecture constants from its sources (package 1.7.15 ships them)");
    }
    return npm.text(path);
  }

  private static float[] mean(String text, String file) {
    Matcher m = find(MEAN_ARRAY, text, file, "meanRgb");
    return new float[] {Float.parseFloat(m.group(1)), Float.parseFloat(m.group(2)), Float.parseFloat(m.group(3))};
  }

  private static Matcher find(Pattern pattern, String text, String file, String what) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      throw new IllegalArgumentException(file + ": cannot find " + what);
    }
    return m;
  }
}
