package io.siamesestreams.bench;

import io.siamesestreams.faces.image.RgbImage;
import io.siamesestreams.faces.landmark.FaceLandmarker;
import io.siamesestreams.onnx.ExecutionProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The face bundle's landmark net alone: µs per face of {@link FaceLandmarker#locate(List)} for each batch size
 * (random 150×150 crops, one calling thread), which tells whether the service should batch it. The batch sizes
 * are timed twice, in turn, and the second pass is reported: the first pass warms ONNX Runtime up, and the first
 * size timed would otherwise carry the warm-up.
 */
public final class LandmarkBench {

  private static final int CROP_SIZE = 150;

  private LandmarkBench() {}

  /**
   * Times {@code locate} on batches of each size for about {@code perBatch} after a short warm-up, two passes.
   *
   * @param landmarksDir the converted {@code face-landmarks} bundle
   * @param intraOpThreads ONNX Runtime intra-op threads, as the service would use (0 = ONNX Runtime's default)
   * @return µs per face by batch size (the second pass), in the order given
   */
  public static Map<Integer, Double> measure(Path landmarksDir, int intraOpThreads, ExecutionProvider provider,
      int[] batchSizes, Duration perBatch, Consumer<String> progress) {
    Map<Integer, Double> microsPerFace = new LinkedHashMap<>();
    Random random = new Random(9);
    try (FaceLandmarker landmarker = FaceLandmarker.open(landmarksDir, intraOpThreads, provider)) {
      for (int pass = 0; pass < 2; pass++) {
        for (int batch : batchSizes) {
          microsPerFace.put(batch, time(landmarker, crops(random, batch), perBatch));
        }
      }
    }
    microsPerFace.forEach((batch, micros) -> progress.accept(
        String.format(Locale.ROOT, "bench: landmark net batch %d: %.1f us per face", batch, micros)));
    return microsPerFace;
  }

  private static List<RgbImage> crops(Random random, int count) {
    List<RgbImage> crops = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] rgb = new byte[CROP_SIZE * CROP_SIZE * 3];
      random.nextBytes(rgb);
      crops.add(new RgbImage(CROP_SIZE, CROP_SIZE, rgb));
    }
    return crops;
  }

  /** µs per face of {@code locate(crops)} over about {@code duration}, after a short warm-up. */
  private static double time(FaceLandmarker landmarker, List<RgbImage> crops, Duration duration) {
    return 1e6 / TimedLoop.itemsPerSecond(duration, () -> {
      landmarker.locate(crops);
      return crops.size();
    });
  }
}
