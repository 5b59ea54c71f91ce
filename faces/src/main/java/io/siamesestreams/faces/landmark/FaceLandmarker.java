package io.siamesestreams.faces.landmark;

import io.siamesestreams.faces.image.RgbImage;
import io.siamesestreams.faces.image.TensorInput;
import io.siamesestreams.faces.onnx.OnnxModel;
import io.siamesestreams.onnx.ExecutionProvider;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * face-api's 68-point tiny landmark net ({@code landmarks.onnx}) run by ONNX Runtime on face crops.
 *
 * <p>A crop of W × H is padded to a centred square, resized to the net's input and the net's
 * fractions are mapped back to crop pixels as face-api's {@code FaceLandmark68NetBase.postProcess}
 * does: with {@code s = inputSize / max(W, H)}, {@code W' = W·s}, {@code H' = H·s} and the padding
 * {@code px = (H' − W') / 2} when W' &lt; H' (else 0; likewise py), a point is
 * {@code x = (o_x · inputSize − px) / W' · W}, {@code y = (o_y · inputSize − py) / H' · H}.
 *
 * <p>Thread-safe. Owns its {@link OnnxModel}.
 */
public final class FaceLandmarker implements AutoCloseable {

  private final LandmarkManifest manifest;
  private final OnnxModel model;

  private FaceLandmarker(LandmarkManifest manifest, OnnxModel model) {
    this.manifest = manifest;
    this.model = model;
  }

  /**
   * Opens the landmark bundle in {@code directory} ({@code landmarks.json} + its ONNX file).
   *
   * @param intraOpThreads ONNX Runtime intra-op threads; 0 = ONNX Runtime's default
   */
  public static FaceLandmarker open(Path directory, int intraOpThreads) {
    return open(directory, intraOpThreads, ExecutionProvider.CPU);
  }

  /** As above, run by {@code provider}. */
  public static FaceLandmarker open(Path directory, int intraOpThreads, ExecutionProvider provider) {
    LandmarkManifest manifest = LandmarkManifest.read(directory);
    return new FaceLandmarker(manifest, OnnxModel.open(directory.resolve(manifest.modelFile()), "landmark net",
        manifest.inputTensor(), manifest.outputTensor(), LandmarkManifest.FILE_NAME, intraOpThreads, provider));
  }

  public LandmarkManifest manifest() {
    return manifest;
  }

  /** Landmarks of a whole face crop, in the crop's pixels. */
  public FaceLandmarks locate(RgbImage crop) {
    return locate(List.of(crop)).get(0);
  }

  /** Landmarks of several crops in one batch, each in its crop's pixels. */
  public List<FaceLandmarks> locate(List<RgbImage> crops) {
    if (crops.isEmpty()) {
      return List.of();
    }
    int size = manifest.inputSize();
    FloatBuffer input = TensorInput.allocate(crops.size(), size);
    for (RgbImage crop : crops) {
      TensorInput.put(crop, TensorInput.Padding.CENTERED, size, manifest.meanRgb(), manifest.divisor(), input);
    }
    input.rewind();
    int values = 2 * manifest.points();
    float[] raw = model.run(input, new long[] {crops.size(), 3, size, size}).values();
    if (raw.length != crops.size() * values) {
      throw new IllegalStateException("landmark net returned " + raw.length + " values, expected "
          + crops.size() * values);
    }
    List<FaceLandmarks> all = new ArrayList<>(crops.size());
    for (int i = 0; i < crops.size(); i++) {
      all.add(toPixels(raw, i * values, crops.get(i).width(), crops.get(i).height(), size));
    }
    return all;
  }

  private static FaceLandmarks toPixels(float[] raw, int offset, int width, int height, int size) {
    double s = (double) size / Math.max(width, height);
    double w = width * s;
    double h = height * s;
    double padX = w < h ? Math.abs(w - h) / 2 : 0;
    double padY = h < w ? Math.abs(w - h) / 2 : 0;
    double[] xy = new double[2 * FaceLandmarks.POINTS];
    for (int p = 0; p < FaceLandmarks.POINTS; p++) {
      xy[2 * p] = (raw[offset + 2 * p] * (double) size - padX) / w * width;
      xy[2 * p + 1] = (raw[offset + 2 * p + 1] * (double) size - padY) / h * height;
    }
    return new FaceLandmarks(xy);
  }

  @Override
  public void close() {
    model.close();
  }
}
