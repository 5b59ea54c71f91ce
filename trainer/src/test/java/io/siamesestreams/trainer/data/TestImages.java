package io.siamesestreams.trainer.data;

import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.preprocess.ImagePreprocessor;
import java.util.List;

/** Small synthetic image sets for the data tests. */
final class TestImages {
  private TestImages() {}

  /**
   * 1×1 grey images with the given labels; image i has pixel value i (mod 256), so it is recognisable
   * in subsets through {@link LabeledImages#imageBytes}.
   */
  static LabeledImages withLabels(int classes, int... labels) {
    byte[] pixels = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      pixels[i] = (byte) i;
    }
    List<String> names = new java.util.ArrayList<>();
    for (int c = 0; c < classes; c++) {
      names.add("class-" + c);
    }
    return LabeledImages.ofRaw(pixels, 1, 1, 1, labels, names);
  }

  /** {@code counts[l]} images of label l, label after label. */
  static LabeledImages withCounts(int... counts) {
    int total = java.util.Arrays.stream(counts).sum();
    int[] labels = new int[total];
    int i = 0;
    for (int label = 0; label < counts.length; label++) {
      for (int j = 0; j < counts[label]; j++) {
        labels[i++] = label;
      }
    }
    return withLabels(counts.length, labels);
  }

  /** Grey preprocessor of the given size with x = p / 255. */
  static ImagePreprocessor greyPreprocessor(int height, int width) {
    return new ImagePreprocessor(
        new ModelManifest.Input(
            "input", ModelManifest.Layout.NCHW, 1, height, width, ModelManifest.ColorMode.GRAY,
            ModelManifest.ResizePolicy.EXACT, new float[] {0f}, new float[] {1f}));
  }
}
