package io.siamesestreams.topology;

import io.siamesestreams.bundle.BundleValidationException;
import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.embedding.Encoder;
import io.siamesestreams.frames.FaceExtraction;
import io.siamesestreams.matching.DistanceFunction;
import io.siamesestreams.matching.PairScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model bundle opened for serving: its manifest, the encoder session and the pair scorer (head
 * session), and for a face model the face detector and landmark nets. Shared by every task of a
 * service instance (ONNX Runtime sessions are thread-safe); closing it closes every session, face
 * nets and scorer first.
 *
 * @param manifest the bundle's validated manifest (a face model's recognition bundle)
 * @param encoder the encoder, embeds batches of images (a face model: aligned face chips)
 * @param scorer distances, threshold and head probabilities exactly per the manifest
 * @param faces a face model's detection and alignment ({@link FaceExtraction}); null for a bundle
 *     that embeds whole frames
 */
public record LoadedModel(ModelManifest manifest, Encoder encoder, PairScorer scorer, FaceExtraction faces)
    implements AutoCloseable {

  public LoadedModel {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(scorer, "scorer");
  }

  /** A bundle that embeds whole frames (no face detection). */
  public LoadedModel(ModelManifest manifest, Encoder encoder, PairScorer scorer) {
    this(manifest, encoder, scorer, null);
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
    boolean faceModel = !Files.isRegularFile(directory.resolve(ModelManifest.FILE_NAME))
        && FaceExtraction.isFaceModel(directory);
    ModelBundle bundle = ModelBundle.load(faceModel ? FaceExtraction.recognitionBundle(directory) : directory);
    Encoder encoder = Encoder.open(bundle, intraOpThreads);
    PairScorer scorer = null;
    try {
      scorer = PairScorer.open(bundle);
      FaceExtraction faces = null;
      if (faceModel) {
        try {
          faces = FaceExtraction.open(directory, intraOpThreads);
        } catch (IllegalArgumentException e) {
          throw new BundleValidationException(directory.toString(), null, "unusable face model: " + e.getMessage(), e);
        }
      }
      return new LoadedModel(bundle.manifest(), encoder, scorer, faces);
    } catch (RuntimeException e) {
      if (scorer != null) {
        scorer.close();
      }
      encoder.close();
      throw e;
    }
  }

  /** Whether frames go through face detection and alignment ({@link #faces()} is not null). */
  public boolean isFaceModel() {
    return faces != null;
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
      if (faces != null) {
        faces.close();
      }
    } finally {
      try {
        scorer.close();
      } finally {
        encoder.close();
      }
    }
  }
}
