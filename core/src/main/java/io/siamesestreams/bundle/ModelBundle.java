package io.siamesestreams.bundle;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A validated model bundle directory: {@code model.json}, {@code encoder.onnx} and optionally
 * {@code head.onnx}. This is the one place a bundle is loaded and checked.
 *
 * <p>{@link #load(Path)} checks the manifest (required fields, value ranges, finite threshold,
 * mean/std lengths, known enums), that the ONNX files exist and parse, and that the tensor
 * names and shapes in the ONNX models agree with the manifest (input [N, C, H, W], output [N, D],
 * head inputs [N, D] and output [N, 1]). Every failure is a {@link BundleValidationException}
 * naming the file and the field.
 */
public final class ModelBundle {

  private ModelBundle() {}

  /**
   * Loads and validates the bundle in {@code directory}.
   *
   * @throws BundleValidationException when anything is missing or inconsistent
   */
  public static ModelBundle load(Path directory) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Writes {@code manifest} as pretty-printed {@code model.json} into {@code directory}. */
  public static void writeManifest(Path directory, ModelManifest manifest) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The bundle directory. */
  public Path directory() {
    throw new UnsupportedOperationException("TODO");
  }

  public ModelManifest manifest() {
    throw new UnsupportedOperationException("TODO");
  }

  /** {@code encoder.onnx}. */
  public Path encoderFile() {
    throw new UnsupportedOperationException("TODO");
  }

  /** {@code head.onnx}, present when the manifest declares a head. */
  public Optional<Path> headFile() {
    throw new UnsupportedOperationException("TODO");
  }
}
