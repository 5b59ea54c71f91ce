package io.siamesestreams.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitsTest {
  static final LabeledImages IMAGES = TestImages.withCounts(10, 20, 1, 2, 50);

  static List<Integer> ids(LabeledImages images) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      ids.add(images.imageBytes(i)[0] & 0xFF);
    }
    return ids;
  }

  static int[] countsPerLabel(LabeledImages images) {
    return java.util.Arrays.stream(images.indicesByLabel()).mapToInt(m -> m.length).toArray();
  }

  @Test
  void shouldTakeTheFractionOfEveryLabelKeepingAtLeastOneImageForTraining() {
    Splits.TrainValidation split = Splits.validation(IMAGES, 0.2, 42);

    // round(0.2 n): 10 → 2, 20 → 4, 1 → 0 (kept for training), 2 → 0 raised to 1, 50 → 10.
    assertThat(countsPerLabel(split.validation())).containsExactly(2, 4, 0, 1, 10);
    assertThat(countsPerLabel(split.train())).containsExactly(8, 16, 1, 1, 40);
  }

  @Test
  void shouldPutTwoImagesOfEveryLabelWithFourOrMoreIntoValidationSoSameLabelPairsExist() {
    Splits.TrainValidation split = Splits.validation(IMAGES, 0.05, 42);

    // round(0.05 n): 10 → 1 raised to 2, 20 → 1 raised to 2, 1 → 0, 2 → 0 raised to 1, 50 → 3.
    assertThat(countsPerLabel(split.validation())).containsExactly(2, 2, 0, 1, 3);
  }

  @Test
  void partsShouldBeDisjointAndCoverEveryImage() {
    Splits.TrainValidation split = Splits.validation(IMAGES, 0.3, 1);
    List<Integer> all = new ArrayList<>(ids(split.train()));
    all.addAll(ids(split.validation()));

    assertThat(all).doesNotHaveDuplicates().hasSize(IMAGES.size());
    assertThat(split.train().classNames()).isEqualTo(IMAGES.classNames());
  }

  @Test
  void shouldBeDeterministicForASeedAndDifferForAnother() {
    List<Integer> first = ids(Splits.validation(IMAGES, 0.2, 42).validation());
    List<Integer> again = ids(Splits.validation(IMAGES, 0.2, 42).validation());
    List<Integer> other = ids(Splits.validation(IMAGES, 0.2, 43).validation());

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void shouldRejectAFractionOutsideZeroToOne() {
    assertThatThrownBy(() -> Splits.validation(IMAGES, 1.0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Splits.validation(IMAGES, -0.1, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
