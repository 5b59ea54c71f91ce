package io.siamesestreams.faces.detect;

import io.siamesestreams.faces.onnx.ManifestJson;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The content of a face-detector bundle's {@code detector.json}: what {@link TinyFaceDetector}
 * needs to prepare the input, decode the ONNX output and suppress duplicates.
 *
 * <p>Preprocessing: the RGB image (W × H) is padded with zeros at the bottom or right to a square
 * of side max(W, H), resized bilinearly to {@code inputSize × inputSize} the way TensorFlow's
 * {@code resizeBilinear} does without half-pixel centres ({@code src = dst · in / out}), then each
 * channel becomes {@code (p − meanRgb[c]) / divisor}.
 *
 * <p>Decoding, for each grid cell (row, col) of the G × G output and anchor a:
 * {@code score = σ(t4)}, kept when {@code score > scoreThreshold};
 * {@code cx = (col + σ(t0)) / G}, {@code cy = (row + σ(t1)) / G},
 * {@code w = exp(t2) · anchors[a][0] / G}, {@code h = exp(t3) · anchors[a][1] / G}, all as fractions
 * of the square input, then corrected for the padding and scaled to the original image; boxes
 * overlapping a better one by IoU &gt; {@code iouThreshold} are dropped.
 *
 * @param formatVersion currently {@value #FORMAT_VERSION}
 * @param modelId e.g. {@code face-api-tiny-face-detector}
 * @param modelVersion version of the weights, e.g. the npm package version
 * @param createdAt when the bundle was written
 * @param modelFile the ONNX file in the bundle directory
 * @param inputTensor ONNX input name, shape [N, 3, S, S] with S symbolic
 * @param outputTensor ONNX output name, shape [N, 5 · anchors, G, G]
 * @param defaultInputSize S used when the caller does not choose one
 * @param inputSizeMultiple S must be a positive multiple of this
 * @param meanRgb per-channel mean on the 0..255 scale
 * @param divisor the mean-subtracted values are divided by this (255)
 * @param anchors anchor box sizes [w, h] in grid cells, one per anchor
 * @param scoreThreshold detections need a score strictly above this
 * @param iouThreshold non-maximum suppression drops boxes with IoU above this
 * @param source where the weights come from and how they were converted, free-form
 */
public record DetectorManifest(
    int formatVersion,
    String modelId,
    String modelVersion,
    Instant createdAt,
    String modelFile,
    String inputTensor,
    String outputTensor,
    int defaultInputSize,
    int inputSizeMultiple,
    float[] meanRgb,
    float divisor,
    List<float[]> anchors,
    double scoreThreshold,
    double iouThreshold,
    Map<String, String> source) {

  public static final int FORMAT_VERSION = 1;
  public static final String FILE_NAME = "detector.json";

  /** Reads and checks {@code detector.json} in {@code directory}. */
  public static DetectorManifest read(Path directory) {
    return ManifestJson.read(directory, FILE_NAME, DetectorManifest.class, "detector manifest", DetectorManifest::check);
  }

  /** Checks this manifest and writes it as indented JSON to {@code directory/detector.json}. */
  public void write(Path directory) {
    ManifestJson.write(directory, FILE_NAME, this, "detector manifest", DetectorManifest::check);
  }

  private void check(String file) {
    require(formatVersion == FORMAT_VERSION, file, "formatVersion must be " + FORMAT_VERSION + ", was " + formatVersion);
    require(modelFile != null && !modelFile.isBlank(), file, "modelFile is required");
    require(inputTensor != null && outputTensor != null, file, "inputTensor and outputTensor are required");
    require(inputSizeMultiple > 0, file, "inputSizeMultiple must be > 0");
    require(defaultInputSize > 0 && defaultInputSize % inputSizeMultiple == 0, file,
        "defaultInputSize must be a positive multiple of " + inputSizeMultiple + ", was " + defaultInputSize);
    require(meanRgb != null && meanRgb.length == 3, file, "meanRgb needs 3 values");
    require(divisor > 0 && Float.isFinite(divisor), file, "divisor must be finite and > 0");
    require(anchors != null && !anchors.isEmpty(), file, "anchors are required");
    for (float[] anchor : anchors) {
      require(anchor != null && anchor.length == 2 && anchor[0] > 0 && anchor[1] > 0, file,
          "each anchor must be [w, h] with w, h > 0");
    }
    require(scoreThreshold > 0 && scoreThreshold < 1, file, "scoreThreshold must be in (0, 1), was " + scoreThreshold);
    require(iouThreshold > 0 && iouThreshold <= 1, file, "iouThreshold must be in (0, 1], was " + iouThreshold);
  }

  private static void require(boolean ok, String file, String problem) {
    if (!ok) {
      throw new IllegalArgumentException(file + ": " + problem);
    }
  }
}
