package io.siamesestreams.trainer.calibrate;

import io.siamesestreams.bundle.BundleValidationException;
import io.siamesestreams.bundle.ModelBundle;
import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.faces.FacePipeline;
import io.siamesestreams.faces.convert.FaceApiConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code calibrate --model DIR} names: a model bundle ({@code DIR/model.json}, e.g. a trained
 * one), or a face model folder as {@code siamese convert faceapi} writes it and {@code siamese run}
 * serves it ({@code DIR/face-recognition/model.json} plus the detector and landmark bundles), whose
 * threshold lives in the recognition bundle.
 *
 * @param directory the folder given
 * @param faces whether it is a face model folder
 */
public record CalibrationModel(Path directory, boolean faces) {

  /**
   * @throws BundleValidationException when {@code directory} is neither, or is the recognition
   *     bundle inside a face model folder (calibrate the folder, so faces are detected and aligned)
   */
  public static CalibrationModel of(Path directory) {
    Path manifest = directory.resolve(ModelManifest.FILE_NAME);
    if (Files.isRegularFile(manifest)) {
      Path parent = directory.toAbsolutePath().getParent();
      if (parent != null && directory.getFileName() != null
          && directory.getFileName().toString().equals(FaceApiConverter.RECOGNITION_DIR) && isFaceModel(parent)) {
        throw new BundleValidationException(directory.toString(), null, "is the recognition bundle of the face model folder "
            + parent + ": pass that folder as --model, so faces are detected and aligned as the service does");
      }
      return new CalibrationModel(directory, false);
    }
    if (isFaceModel(directory)) {
      return new CalibrationModel(directory, true);
    }
    throw new BundleValidationException(directory.toString(), null, "is neither a model bundle (no " + ModelManifest.FILE_NAME
        + ") nor a face model folder (" + FaceApiConverter.RECOGNITION_DIR + "/, " + FaceApiConverter.DETECTOR_DIR + "/, "
        + FaceApiConverter.LANDMARKS_DIR + "/)");
  }

  /** The folder layout the service recognises as a face model (streams' {@code FaceExtraction.isFaceModel}). */
  static boolean isFaceModel(Path folder) {
    return Files.isRegularFile(folder.resolve(FaceApiConverter.RECOGNITION_DIR).resolve(ModelManifest.FILE_NAME))
        && FacePipeline.available(folder);
  }

  /** The bundle whose {@code model.json} holds the threshold, inside {@code root} (this folder or a copy). */
  public Path thresholdBundle(Path root) {
    return faces ? root.resolve(FaceApiConverter.RECOGNITION_DIR) : root;
  }

  /** Loads and validates the bundle holding the threshold. */
  public ModelBundle bundle() {
    return ModelBundle.load(thresholdBundle(directory));
  }

  /** Opens the photo embedder the service's path for this model corresponds to. */
  public PhotoEmbedder openEmbedder(int intraOpThreads) {
    return faces ? new FacePhotoEmbedder(directory, intraOpThreads) : new BundlePhotoEmbedder(bundle(), intraOpThreads);
  }

  /**
   * Copies the whole folder to {@code out}, which must not exist or be an empty directory.
   *
   * @throws IllegalArgumentException when {@code out} holds files or lies inside the folder
   */
  public void copyTo(Path out) {
    Path source = directory.toAbsolutePath().normalize();
    Path target = out.toAbsolutePath().normalize();
    if (target.startsWith(source)) {
      throw new IllegalArgumentException("--out " + out + " lies inside --model " + directory);
    }
    try {
      if (Files.exists(target)) {
        try (Stream<Path> entries = Files.list(target)) {
          if (entries.findAny().isPresent()) {
            throw new IllegalArgumentException("--out " + out + " already holds files; name a new folder");
          }
        }
      }
      List<Path> all;
      try (Stream<Path> walk = Files.walk(source)) {
        all = walk.toList();
      }
      for (Path from : all) {
        Path to = target.resolve(source.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + directory + " to " + out + ": " + e.getMessage(), e);
    }
  }
}
