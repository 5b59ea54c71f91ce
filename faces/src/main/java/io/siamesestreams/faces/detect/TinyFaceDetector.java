package io.siamesestreams.faces.detect;

import io.siamesestreams.faces.image.RgbImage;
import io.siamesestreams.faces.image.TensorInput;
import io.siamesestreams.faces.onnx.OnnxModel;
import io.siamesestreams.onnx.ExecutionProvider;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * face-api's tiny face detector: the converted ONNX net ({@code detector.onnx}) run by ONNX Runtime,
 * with face-api's preprocessing, box decoding and non-maximum suppression in Java (see
 * {@link DetectorManifest} for the formulas).
 *
 * <p>Thread-safe ({@link #detect} may be called concurrently). Owns its {@link OnnxModel}.
 */
public final class TinyFaceDetector implements AutoCloseable {

  /** The detector's raw output for one image. */
  public record Grid(int cells, int anchors, float[] values) {
    /** Raw value k (0 = tx … 4 = score logit) of anchor a at (row, col). */
    public float value(int anchor, int k, int row, int col) {
      return values[((anchor * 5 + k) * cells + row) * cells + col];
    }
  }

  private final DetectorManifest manifest;
  private final OnnxModel model;

  private TinyFaceDetector(DetectorManifest manifest, OnnxModel model) {
    this.manifest = manifest;
    this.model = model;
  }

  /**
   * Opens the detector bundle in {@code directory} ({@code detector.json} + its ONNX file).
   *
   * @param intraOpThreads ONNX Runtime intra-op threads; 0 = ONNX Runtime's default
   */
  public static TinyFaceDetector open(Path directory, int intraOpThreads) {
    return open(directory, intraOpThreads, ExecutionProvider.CPU);
  }

  /** As above, run by {@code provider}. */
  public static TinyFaceDetector open(Path directory, int intraOpThreads, ExecutionProvider provider) {
    DetectorManifest manifest = DetectorManifest.read(directory);
    return new TinyFaceDetector(manifest, OnnxModel.open(directory.resolve(manifest.modelFile()), "face detector",
        manifest.inputTensor(), manifest.outputTensor(), DetectorManifest.FILE_NAME, intraOpThreads, provider));
  }

  public DetectorManifest manifest() {
    return manifest;
  }

  /** Faces in {@code image} at the manifest's default input size, best score first. */
  public List<FaceBox> detect(BufferedImage image) {
    return detect(RgbImage.of(image), manifest.defaultInputSize());
  }

  /**
   * Faces in {@code image}, best score first, boxes in the image's pixels.
   *
   * @param inputSize the side the padded image is resized to; a positive multiple of
   *     {@link DetectorManifest#inputSizeMultiple()}
   */
  public List<FaceBox> detect(RgbImage image, int inputSize) {
    Grid grid = forward(image, inputSize);
    return decode(grid, image.width(), image.height(), inputSize);
  }

  /** Runs the net on {@code image} padded and resized to {@code inputSize}, returning the raw grid. */
  public Grid forward(RgbImage image, int inputSize) {
    if (inputSize <= 0 || inputSize % manifest.inputSizeMultiple() != 0) {
      throw new IllegalArgumentException("inputSize must be a positive multiple of " + manifest.inputSizeMultiple()
          + ", was " + inputSize);
    }
    FloatBuffer input = TensorInput.allocate(1, inputSize);
    TensorInput.put(image, TensorInput.Padding.BOTTOM_RIGHT, inputSize, manifest.meanRgb(), manifest.divisor(), input);
    input.rewind();
    OnnxModel.Output output = model.run(input, new long[] {1, 3, inputSize, inputSize});
    long[] shape = output.shape();
    int anchors = manifest.anchors().size();
    if (shape.length != 4 || shape[1] != 5L * anchors || shape[2] != shape[3]) {
      throw new IllegalStateException("detector output has shape " + Arrays.toString(shape)
          + ", expected [1, " + 5 * anchors + ", G, G]");
    }
    return new Grid((int) shape[2], anchors, output.values());
  }

  /**
   * Decodes a raw grid into boxes (score above the threshold, then non-maximum suppression), as
   * face-api's {@code TinyYolov2Base.extractBoxes} and {@code nonMaxSuppression} do.
   */
  public List<FaceBox> decode(Grid grid, int imageWidth, int imageHeight, int inputSize) {
    // face-api's computeReshapedDimensions: the image's size inside the square input, rounded.
    double resize = (double) inputSize / Math.max(imageWidth, imageHeight);
    double reshapedWidth = Math.round(imageWidth * resize);
    double reshapedHeight = Math.round(imageHeight * resize);
    double correctionX = inputSize / reshapedWidth;
    double correctionY = inputSize / reshapedHeight;
    int cells = grid.cells();
    List<FaceBox> candidates = new ArrayList<>();
    for (int row = 0; row < cells; row++) {
      for (int col = 0; col < cells; col++) {
        for (int a = 0; a < grid.anchors(); a++) {
          double score = sigmoid(grid.value(a, 4, row, col));
          if (score <= manifest.scoreThreshold()) {
            continue;
          }
          float[] anchor = manifest.anchors().get(a);
          double cx = (col + sigmoid(grid.value(a, 0, row, col))) / cells * correctionX;
          double cy = (row + sigmoid(grid.value(a, 1, row, col))) / cells * correctionY;
          double w = Math.exp(grid.value(a, 2, row, col)) * anchor[0] / cells * correctionX;
          double h = Math.exp(grid.value(a, 3, row, col)) * anchor[1] / cells * correctionY;
          double x = cx - w / 2;
          double y = cy - h / 2;
          candidates.add(new FaceBox(x * imageWidth, y * imageHeight, w * imageWidth, h * imageHeight, score));
        }
      }
    }
    return nonMaxSuppression(candidates, manifest.iouThreshold());
  }

  /**
   * Greedy non-maximum suppression: repeatedly keeps the best remaining box and drops the boxes
   * whose IoU with it exceeds {@code iouThreshold}. Result best score first.
   */
  public static List<FaceBox> nonMaxSuppression(List<FaceBox> boxes, double iouThreshold) {
    List<FaceBox> remaining = new ArrayList<>(boxes);
    // Stable sort, descending score: ties keep grid order reversed like face-api's pop() from an ascending sort.
    remaining.sort(Comparator.comparingDouble(FaceBox::score));
    List<FaceBox> kept = new ArrayList<>();
    while (!remaining.isEmpty()) {
      FaceBox best = remaining.remove(remaining.size() - 1);
      kept.add(best);
      remaining.removeIf(other -> best.iou(other) > iouThreshold);
    }
    return kept;
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Override
  public void close() {
    model.close();
  }
}
