package io.siamesestreams.bench;

import io.siamesestreams.embedding.Encoder;
import io.siamesestreams.model.LoadedModel;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The ceiling: images/s of the bundle's encoder alone (ONNX Runtime, already-preprocessed random
 * input, no decoding, no Kafka), for each batch size, on one calling thread.
 */
public final class CeilingBench {

  /**
   * @param fpsByBatch images/s per batch size, in the order measured
   * @param bestBatch the batch size with the highest images/s
   * @param bestFps that images/s
   */
  public record Result(Map<Integer, Double> fpsByBatch, int bestBatch, double bestFps) {}

  private CeilingBench() {}

  /**
   * Times {@code encoder.embed} for each batch size for about {@code perBatch} after a short warm-up.
   *
   * @param intraOpThreads ONNX Runtime intra-op threads, as the service would use (0 = ONNX Runtime's default)
   */
  public static Result measure(Path modelDir, int intraOpThreads, int[] batchSizes, Duration perBatch,
      Consumer<String> progress) {
    try (LoadedModel model = LoadedModel.open(modelDir, intraOpThreads)) {
      return measure(model.encoder(), batchSizes, perBatch, progress);
    }
  }

  /** As above with an open encoder. */
  public static Result measure(Encoder encoder, int[] batchSizes, Duration perBatch, Consumer<String> progress) {
    Map<Integer, Double> fpsByBatch = new LinkedHashMap<>();
    int bestBatch = 0;
    double bestFps = 0;
    Random random = new Random(7);
    for (int batch : batchSizes) {
      FloatBuffer images = encoder.preprocessor().allocate(batch);
      for (int i = 0; i < images.capacity(); i++) {
        images.put(i, (float) (random.nextDouble() * 2 - 1));
      }
      double fps = TimedLoop.itemsPerSecond(perBatch, () -> {
        encoder.embed(images, batch);
        return batch;
      });
      fpsByBatch.put(batch, fps);
      progress.accept(String.format(java.util.Locale.ROOT, "bench: ceiling batch %d: %.1f images/s", batch, fps));
      if (fps > bestFps) {
        bestFps = fps;
        bestBatch = batch;
      }
    }
    return new Result(fpsByBatch, bestBatch, bestFps);
  }
}
