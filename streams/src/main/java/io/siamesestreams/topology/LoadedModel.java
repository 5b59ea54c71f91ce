package io.siamesestreams.topology;

import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.embedding.Encoder;
import io.siamesestreams.matching.DistanceFunction;
import io.siamesestreams.matching.PairScorer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model bundle opened for serving: its manifest, the encoder session and the pair scorer (head
 * session). Shared by every task of a service instance (ONNX Runtime sessions are thread-safe);
 * closing it closes both sessions, scorer first.
 *
 * @param manifest the bundle's validated manifest
 * @param encoder the encoder, embeds batches of images
 * @param scorer distances, threshold and head probabilities exactly per the manifest
 */
public record LoadedModel(ModelManifest manifest, Encoder encoder, PairScorer scorer) implements AutoCloseable {

  public LoadedModel {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(scorer, "scorer");
  }

  /**
   * Loads, validates and opens the bundle in {@code directory}.
   *
   * @param intraOpThreads ONNX Runtime intra-op threads for the encoder; 0 = ONNX Runtime's default
   * @throws io.siamesestreams.bundle.BundleValidationException when the bundle is unusable
   */
  public static LoadedModel open(Path directory, int intraOpThreads) {
    ModelBundle bundle = ModelBundle.load(directory);
    Encoder encoder = Encoder.open(bundle, intraOpThreads);
    try {
      return new LoadedModel(bundle.manifest(), encoder, PairScorer.open(bundle));
    } catch (RuntimeException e) {
      encoder.close();
      throw e;
    }
  }

  public String modelId() {
    return manifest.modelId();
  }

  public String modelVersion() {
    return manifest.modelVersion();
  }

  /** The manifest's distance function, for searching the gallery. */
  public DistanceFunction distance() {
    return DistanceFunction.of(manifest.distance().metric());
  }

  @Override
  public void close() {
    try {
      scorer.close();
    } finally {
      encoder.close();
    }
  }
}
