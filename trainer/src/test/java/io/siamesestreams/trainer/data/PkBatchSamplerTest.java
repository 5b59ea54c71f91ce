package io.siamesestreams.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PkBatchSamplerTest {
  /** Six labels with 10 images, label 6 with 3 images, label 7 with a single image. */
  static final LabeledImages IMAGES = TestImages.withCounts(10, 10, 10, 10, 10, 10, 3, 1);

  @Test
  void batchShouldHoldPDistinctLabelsInContiguousBlocksOfKDistinctImages() {
    PkBatchSampler sampler = new PkBatchSampler(IMAGES, 4, 5, new Random(1));

    for (int round = 0; round < 20; round++) {
      int[] batch = sampler.next();
      assertThat(batch).hasSize(20);
      Set<Integer> labels = new HashSet<>();
      for (int block = 0; block < 4; block++) {
        int[] members = Arrays.copyOfRange(batch, block * 5, block * 5 + 5);
        int label = IMAGES.label(members[0]);
        assertThat(labels.add(label)).isTrue();
        assertThat(Arrays.stream(members).map(IMAGES::label)).containsOnly(label);
        if (label < 6) {
          assertThat(members).doesNotHaveDuplicates();
        }
      }
      assertThat(labels).doesNotContain(7);
    }
  }

  @Test
  void labelWithFewerThanKImagesShouldGiveAllOfThemThenRepeats() {
    PkBatchSampler sampler = new PkBatchSampler(IMAGES, 7, 5, new Random(2));
    int[] batch = sampler.next();

    int[] smallBlock = null;
    for (int block = 0; block < 7; block++) {
      if (IMAGES.label(batch[block * 5]) == 6) {
        smallBlock = Arrays.copyOfRange(batch, block * 5, block * 5 + 5);
      }
    }
    assertThat(smallBlock).isNotNull();
    assertThat(Arrays.stream(smallBlock).distinct().count()).isEqualTo(3);
  }

  @Test
  void shouldBeDeterministicForASeed() {
    PkBatchSampler a = new PkBatchSampler(IMAGES, 3, 4, new Random(9));
    PkBatchSampler b = new PkBatchSampler(IMAGES, 3, 4, new Random(9));

    for (int round = 0; round < 5; round++) {
      assertThat(b.next()).containsExactly(a.next());
    }
  }

  @Test
  void shouldRejectMoreLabelsPerBatchThanLabelsWithTwoImages() {
    assertThatThrownBy(() -> new PkBatchSampler(IMAGES, 8, 4, new Random(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only 7 labels");
  }
}
