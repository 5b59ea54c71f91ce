package io.siamesestreams.faces.landmark;

import io.siamesestreams.faces.onnx.ManifestJson;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * The content of a landmark bundle's {@code landmarks.json}, read by {@link FaceLandmarker}.
 *
 * <p>Preprocessing of a face crop (W × H): zero padding to a square of side max(W, H), centred
 * (the smaller half of the padding before, as face-api rounds it), bilinear resize to
 * {@code inputSize × inputSize} as TensorFlow's {@code resizeBilinear} without half-pixel centres,
 * then {@code (p − meanRgb[c]) / divisor}. The output holds {@code points} (x, y) pairs as fractions
 * of the padded square.
 *
 * @param formatVersion currently {@value #FORMAT_VERSION}
 * @param modelId e.g. {@code face-api-face-landmark-68-tiny}
 * @param modelVersion version of the weights, e.g. the npm package version
 * @param createdAt when the bundle was written
 * @param modelFile the ONNX file in the bundle directory
 * @param inputTensor ONNX input name, shape [N, 3, inputSize, inputSize]
 * @param outputTensor ONNX output name, shape [N, 2 · points]
 * @param inputSize side of the square input
 * @param meanRgb per-channel mean on the 0..255 scale
 * @param divisor the mean-subtracted values are divided by this (255)
 * @param points number of landmarks (68, iBUG 300-W order: jaw 0–16, brows 17–26, nose 27–35,
 *     eyes 36–41 and 42–47, mouth 48–67)
 * @param source where the weights come from and how they were converted, free-form
 */
public record LandmarkManifest(
    int formatVersion,
    String modelId,
    String modelVersion,
    Instant createdAt,
    String modelFile,
    String inputTensor,
    String outputTensor,
    int inputSize,
    float[] meanRgb,
    float divisor,
    int points,
    Map<String, String> source) {

  public static final int FORMAT_VERSION = 1;
  public static final String FILE_NAME = "landmarks.json";

  /** Reads and checks {@code landmarks.json} in {@code directory}. */
  public static LandmarkManifest read(Path directory) {
    return ManifestJson.read(directory, FILE_NAME, LandmarkManifest.class, "landmark manifest", LandmarkManifest::check);
  }

  /** Checks this manifest and writes it as indented JSON to {@code directory/landmarks.json}. */
  public void write(Path directory) {
    ManifestJson.write(directory, FILE_NAME, this, "landmark manifest", LandmarkManifest::check);
  }

  private void check(String file) {
    if (formatVersion != FORMAT_VERSION || modelFile == null || inputTensor == null || outputTensor == null
        || inputSize <= 0 || meanRgb == null || meanRgb.length != 3 || !(divisor > 0) || points != 68) {
      throw new IllegalArgumentException(file + ": invalid landmark manifest (formatVersion " + FORMAT_VERSION
          + ", modelFile, tensors, inputSize > 0, 3 means, divisor > 0 and 68 points are required)");
    }
  }
}
