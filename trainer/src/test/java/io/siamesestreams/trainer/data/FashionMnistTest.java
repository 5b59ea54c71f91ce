package io.siamesestreams.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.bundle.ModelManifest;
import io.siamesestreams.preprocess.ImagePreprocessor;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real Fashion-MNIST images of the sample committed at data/fashion-mnist-sample. */
class FashionMnistTest {
  static LabeledImages train;
  static LabeledImages test;

  @BeforeAll
  static void load() {
    train = FashionMnistSample.load(FashionMnist.Split.TRAIN);
    test = FashionMnistSample.load(FashionMnist.Split.TEST);
  }

  @Test
  void shouldLoadFifteenHundredTrainingAndOneThousandTestImages() {
    assertThat(train.size()).isEqualTo(10 * FashionMnistSample.TRAIN_PER_CLASS);
    assertThat(test.size()).isEqualTo(10 * FashionMnistSample.TEST_PER_CLASS);
  }

  @Test
  void imagesShouldBeRaw28By28Grey() {
    assertThat(train.isEncoded()).isFalse();
    assertThat(train.imageBytes(0)).hasSize(28 * 28);
    assertThat(test.imageBytes(999)).hasSize(28 * 28);
  }

  @Test
  void shouldHaveTenBalancedClassesAndTheKnownFirstLabel() {
    assertThat(train.classNames()).isEqualTo(FashionMnist.CLASS_NAMES);
    assertThat(train.presentLabels()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(train.label(0)).isEqualTo(9);
    assertThat(Arrays.stream(train.indicesByLabel()).mapToInt(m -> m.length)).containsOnly(FashionMnistSample.TRAIN_PER_CLASS);
    assertThat(Arrays.stream(test.indicesByLabel()).mapToInt(m -> m.length)).containsOnly(FashionMnistSample.TEST_PER_CLASS);
  }

  @Test
  void putImageShouldSendThePixelsThroughThePreprocessor() throws Exception {
    ModelManifest.Input input =
        new ModelManifest.Input(
            "input", ModelManifest.Layout.NCHW, 1, 28, 28, ModelManifest.ColorMode.GRAY,
            ModelManifest.ResizePolicy.EXACT, new float[] {0f}, new float[] {1f});
    ImagePreprocessor preprocessor = new ImagePreprocessor(input);
    FloatBuffer buffer = preprocessor.allocate(2);

    train.putImages(new int[] {0, 1}, preprocessor, buffer);

    assertThat(buffer.position()).isEqualTo(2 * 784);
    byte[] second = train.imageBytes(1);
    for (int j = 0; j < 784; j++) {
      assertThat(buffer.get(784 + j)).isEqualTo((second[j] & 0xFF) / 255f);
    }
    float max = 0;
    for (int j = 0; j < 784; j++) {
      max = Math.max(max, buffer.get(j));
    }
    assertThat(max).isGreaterThan(0.5f);
  }

  @Test
  void shouldExplainHowToInstallTheDatasetWhenItIsMissing(@TempDir Path empty) {
    assertThatThrownBy(() -> FashionMnist.load(empty, FashionMnist.Split.TEST))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessage(
            "Fashion-MNIST not found in " + empty
                + ": install it with `sudo apt-get install dataset-fashion-mnist` or pass --data DIR");
  }
}
