package io.siamesestreams.model;

import io.siamesestreams.bundle.BundleValidationException;
import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.embedding.Encoder;
import io.siamesestreams.frames.FaceExtraction;
import io.siamesestreams.frames.FaceFrameEmbedder;
import io.siamesestreams.frames.FrameEmbedder;
import io.siamesestreams.frames.WholeImageEmbedder;
import io.siamesestreams.matching.DistanceFunction;
import io.siamesestreams.matching.PairScorer;
import io.siamesestreams.onnx.ExecutionProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model bundle opened for serving: its manifest, the encoder session, the pair scorer (head
 * session) and what the model does to a frame ({@link FrameEmbedder}: the whole image, or for a face
 * model detection and alignment with the face nets). Shared by every task of a service instance
 * (ONNX Runtime sessions are thread-safe); the one owner of these native sessions: closing it closes
 * the frame embedder's, the scorer's and the encoder's.
 *
 * @param manifest the bundle's validated manifest (a face model's recognition bundle)
 * @param encoder the encoder, embeds batches of {@link FrameEmbedder.EncoderInput}s (images or face chips)
 * @param scorer distances, threshold and head probabilities exactly per the manifest
 * @param frameEmbedder a frame's image → its encoder inputs ({@link WholeImageEmbedder} or {@link FaceFrameEmbedder})
 */
public record LoadedModel(ModelManifest manifest, Encoder encoder, PairScorer scorer, FrameEmbedder frameEmbedder)
    implements AutoCloseable {

  public LoadedModel {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(scorer, "scorer");
    Objects.requireNonNull(frameEmbedder, "frameEmbedder");
  }

  /** A bundle that embeds whole frames (no face detection). */
  public LoadedModel(ModelManifest manifest, Encoder encoder, PairScorer scorer) {
    this(manifest, encoder, scorer, new WholeImageEmbedder(encoder.preprocessor()));
  }

  /**
   * Loads, validates and opens the bundle in {@code directory}: a model bundle ({@code model.json}
   * there), or a face model folder ({@link FaceExtraction#isFaceModel}: {@code face-recognition/},
   * {@code face-detector/}, {@code face-landmarks/} as {@code siamese convert faceapi} writes them,
   * optional {@code faces.json}).
   *
   * @param intraOpThreads ONNX Runtime intra-op threads for the encoder (and the face nets); 0 =
   *     ONNX Runtime's default
   * @throws io.siamesestreams.bundle.BundleValidationException when the bundle is unusable
   */
  public static LoadedModel open(Path directory, int intraOpThreads) {
    return open(directory, intraOpThreads, ExecutionProvider.CPU);
  }

  /**
   * As above, the encoder and the face nets run by {@code provider} (the pair head, a few
   * multiply-adds, stays on the CPU).
   *
   * @throws ExecutionProvider.UnavailableException when {@code provider} cannot be used here
   */
  public static LoadedModel open(Path directory, int intraOpThreads, ExecutionProvider provider) {
    provider.requireAvailable();
    boolean faceModel = !Files.isRegularFile(directory.resolve(ModelManifest.FILE_NAME))
        && FaceExtraction.isFaceModel(directory);
    ModelBundle bundle = ModelBundle.load(faceModel ? FaceExtraction.recognitionBundle(directory) : directory);
    Encoder encoder = Encoder.open(bundle, intraOpThreads, provider);
    PairScorer scorer = null;
    try {
      scorer = PairScorer.open(bundle);
      FrameEmbedder frameEmbedder = new WholeImageEmbedder(encoder.preprocessor());
      if (faceModel) {
        try {
          frameEmbedder = new FaceFrameEmbedder(FaceExtraction.open(directory, intraOpThreads, provider),
              encoder.preprocessor());
        } catch (IllegalArgumentException e) {
          throw new BundleValidationException(directory.toString(), null, "unusable face model: " + e.getMessage(), e);
        }
      }
      return new LoadedModel(bundle.manifest(), encoder, scorer, frameEmbedder);
    } catch (RuntimeException e) {
      if (scorer != null) {
        scorer.close();
      }
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
      frameEmbedder.close();
    } finally {
      try {
        scorer.close();
      } finally {
        encoder.close();
      }
    }
  }
}
