package io.siamesestreams.faces.landmark;

import io.siamesestreams.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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

  public static LandmarkManifest read(Path directory) {
    Path file = directory.resolve(FILE_NAME);
    LandmarkManifest manifest;
    try {
      manifest = Json.mapper().readValue(file.toFile(), LandmarkManifest.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read landmark manifest " + file + ": " + e.getMessage(), e);
    }
    manifest.check(file.toString());
    return manifest;
  }

  public void write(Path directory) {
    check(directory.resolve(FILE_NAME).toString());
    try {
      Files.createDirectories(directory);
      Json.mapper().writerWithDefaultPrettyPrinter().writeValue(directory.resolve(FILE_NAME).toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write landmark manifest in " + directory, e);
    }
  }

  private void check(String file) {
    if (formatVersion != FORMAT_VERSION || modelFile == null || inputTensor == null || outputTensor == null
        || inputSize <= 0 || meanRgb == null || meanRgb.length != 3 || !(divisor > 0) || points != 68) {
      throw new IllegalArgumentException(file + ": invalid landmark manifest (formatVersion " + FORMAT_VERSION
          + ", modelFile, tensors, inputSize > 0, 3 means, divisor > 0 and 68 points are required)");
    }
  }
}
