package io.siamesestreams.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the repository's Fashion-MNIST sample (real dataset images, file order kept). */
class FashionMnistImagesTest {

  @Test
  void shouldReadTheFirstTestImagesWithTheirKnownLabels() {
    FashionMnistImages test = FashionMnistImages.read(FashionMnistImages.sampleDirectory(), "t10k", 10);

    assertThat(test.size()).isEqualTo(10);
    // The first t10k labels of Fashion-MNIST: ankle boot, pullover, trouser, trouser, shirt, …
    assertThat(Arrays.copyOf(test.labels(), 5)).containsExactly(9, 2, 1, 1, 6);
    assertThat(test.pixels()).allSatisfy(pixels -> assertThat(pixels).hasSize(28 * 28));
    assertThat(test.pixels().get(0)).containsAnyOf((byte) 0).matches(p -> countNonZero(p) > 100, "has ink");
  }

  @Test
  void shouldReadEveryClassAmongTheFirstTrainingImages() {
    FashionMnistImages train = FashionMnistImages.read(FashionMnistImages.sampleDirectory(), "train", 200);

    assertThat(Arrays.stream(train.labels()).distinct().count()).isEqualTo(FashionMnistImages.CLASSES);
  }

  @Test
  void shouldNameTheMissingFile(@TempDir Path empty) {
    assertThatThrownBy(() -> FashionMnistImages.read(empty, "t10k", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("t10k-labels-idx1-ubyte.gz");
  }

  private static int countNonZero(byte[] pixels) {
    int count = 0;
    for (byte pixel : pixels) {
      if (pixel != 0) {
        count++;
      }
    }
    return count;
  }
}
