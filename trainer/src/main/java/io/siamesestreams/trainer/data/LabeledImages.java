package io.siamesestreams.trainer.data;

import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.preprocess.InvalidImageException;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Set;

/**
 * An in-memory, immutable set of images with integer class (identity) labels.
 *
 * <p>Each image is stored as it came: raw 8-bit pixels (idx files) or encoded PNG/JPEG bytes (image
 * folders); {@link #putImage} sends it through the project's one {@link ImagePreprocessor} path.
 * Labels index {@link #classNames()}; subsets keep the original label numbering and class names.
 */
public final class LabeledImages {

  /** Number of images. */
  public int size() {
    throw new UnsupportedOperationException("TODO");
  }

  /** Label of image {@code i}, an index into {@link #classNames()}. */
  public int label(int i) {
    throw new UnsupportedOperationException("TODO");
  }

  /** All labels, length {@link #size()}. */
  public int[] labels() {
    throw new UnsupportedOperationException("TODO");
  }

  /** Class (identity) names, indexed by label. */
  public List<String> classNames() {
    throw new UnsupportedOperationException("TODO");
  }

  /** Distinct labels present in this set, ascending. */
  public int[] presentLabels() {
    throw new UnsupportedOperationException("TODO");
  }

  /** Appends image {@code i}, preprocessed, at {@code dst}'s position. */
  public void putImage(int i, ImagePreprocessor preprocessor, FloatBuffer dst) throws InvalidImageException {
    throw new UnsupportedOperationException("TODO");
  }

  /** The images at {@code indices}, in that order. */
  public LabeledImages subset(int[] indices) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Only the images whose label is in {@code labels}. */
  public LabeledImages onlyLabels(Set<Integer> labels) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The images whose label is not in {@code labels}. */
  public LabeledImages withoutLabels(Set<Integer> labels) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Label numbers of the given class names; an unknown name is an IllegalArgumentException listing the known ones. */
  public Set<Integer> labelsOf(List<String> names) {
    throw new UnsupportedOperationException("TODO");
  }
}
