package io.siamesestreams.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.preprocess.ImagePreprocessor;
import io.siamesestreams.preprocess.InvalidImageException;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabeledImagesTest {
  /** Six 2×2 grey images, labels a, b, c, a, b, c; image i has pixels 10i .. 10i+3. */
  static LabeledImages sixImages() {
    byte[] pixels = new byte[24];
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 4; j++) {
        pixels[i * 4 + j] = (byte) (10 * i + j);
      }
    }
    return LabeledImages.ofRaw(pixels, 2, 2, 1, new int[] {0, 1, 2, 0, 1, 2}, List.of("a", "b", "c"));
  }

  @Test
  void subsetShouldKeepOrderLabelsAndClassNames() {
    LabeledImages subset = sixImages().subset(new int[] {4, 0, 4});

    assertThat(subset.size()).isEqualTo(3);
    assertThat(subset.labels()).containsExactly(1, 0, 1);
    assertThat(subset.imageBytes(0)).containsExactly(40, 41, 42, 43);
    assertThat(subset.imageBytes(1)).containsExactly(0, 1, 2, 3);
    assertThat(subset.classNames()).containsExactly("a", "b", "c");
  }

  @Test
  void onlyAndWithoutLabelsShouldPartitionTheImagesKeepingLabelNumbers() {
    LabeledImages images = sixImages();
    LabeledImages onlyC = images.onlyLabels(Set.of(2));
    LabeledImages notC = images.withoutLabels(Set.of(2));

    assertThat(onlyC.labels()).containsExactly(2, 2);
    assertThat(onlyC.presentLabels()).containsExactly(2);
    assertThat(onlyC.classNames()).hasSize(3);
    assertThat(notC.labels()).containsExactly(0, 1, 0, 1);
    assertThat(notC.presentLabels()).containsExactly(0, 1);
    assertThat(notC.imageBytes(3)).containsExactly(40, 41, 42, 43);
  }

  @Test
  void labelsOfShouldMapNamesAndListTheKnownOnesForAnUnknownName() {
    LabeledImages images = sixImages();

    assertThat(images.labelsOf(List.of("c", "a"))).containsExactlyInAnyOrder(0, 2);
    assertThatThrownBy(() -> images.labelsOf(List.of("a", "zebra")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zebra")
        .hasMessageContaining("[a, b, c]");
  }

  @Test
  void indicesByLabelShouldGroupImagesAscending() {
    int[][] byLabel = sixImages().indicesByLabel();

    assertThat(byLabel[0]).containsExactly(0, 3);
    assertThat(byLabel[1]).containsExactly(1, 4);
    assertThat(byLabel[2]).containsExactly(2, 5);
  }

  @Test
  void putImageShouldAppendPreprocessedRawPixels() throws InvalidImageException {
    ImagePreprocessor preprocessor = TestImages.greyPreprocessor(2, 2);
    FloatBuffer buffer = preprocessor.allocate(1);

    sixImages().putImage(5, preprocessor, buffer);

    assertThat(buffer.position()).isEqualTo(4);
    assertThat(new float[] {buffer.get(0), buffer.get(1), buffer.get(2), buffer.get(3)})
        .containsExactly(50 / 255f, 51 / 255f, 52 / 255f, 53 / 255f);
  }

  @Test
  void putImageShouldNameTheSourceOfAnUndecodableEncodedImage() {
    LabeledImages images =
        LabeledImages.ofEncoded(
            List.of(new byte[] {1, 2, 3}), List.of("/faces/bob/1.png"), new int[] {0}, List.of("bob"));
    ImagePreprocessor preprocessor = TestImages.greyPreprocessor(2, 2);

    assertThatThrownBy(() -> images.putImage(0, preprocessor, preprocessor.allocate(1)))
        .isInstanceOfSatisfying(
            InvalidImageException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidImageException.Reason.UNDECODABLE_IMAGE))
        .hasMessageContaining("/faces/bob/1.png");
  }

  @Test
  void shouldRejectPixelsThatDoNotMatchTheLabelsOrLabelsOutOfRange() {
    assertThatThrownBy(() -> LabeledImages.ofRaw(new byte[7], 2, 2, 1, new int[] {0, 0}, List.of("a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8 pixel bytes");
    assertThatThrownBy(() -> LabeledImages.ofRaw(new byte[4], 2, 2, 1, new int[] {1}, List.of("a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label 1");
  }

  @Test
  void labelsShouldBeADefensiveCopy() {
    LabeledImages images = sixImages();
    images.labels()[0] = 2;

    assertThat(images.label(0)).isZero();
  }
}
