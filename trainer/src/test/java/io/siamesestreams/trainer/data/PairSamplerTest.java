package io.siamesestreams.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PairSamplerTest {
  /** Labels with 5, 1, 3 and 40 images: label 1 can only appear in different-label pairs. */
  static final LabeledImages IMAGES = TestImages.withCounts(5, 1, 3, 40);

  @Test
  void shouldDrawHalfSameAndHalfDifferentPairsOfDistinctImages() {
    PairSet pairs = PairSampler.balanced(IMAGES, 2000, 7);

    assertThat(pairs.size()).isEqualTo(2000);
    int same = 0;
    Set<Integer> labelsInSamePairs = new HashSet<>();
    for (int i = 0; i < pairs.size(); i++) {
      int a = pairs.left()[i];
      int b = pairs.right()[i];
      assertThat(a).isNotEqualTo(b);
      assertThat(pairs.same()[i]).isEqualTo(IMAGES.label(a) == IMAGES.label(b));
      if (pairs.same()[i]) {
        same++;
        labelsInSamePairs.add(IMAGES.label(a));
      }
    }
    assertThat(same).isEqualTo(1000);
    assertThat(labelsInSamePairs).containsExactlyInAnyOrder(0, 2, 3);
  }

  @Test
  void shouldGiveTheSamePairsForTheSameSeed() {
    PairSet first = PairSampler.balanced(IMAGES, 100, 3);

    assertThat(PairSampler.balanced(IMAGES, 100, 3)).usingRecursiveComparison().isEqualTo(first);
    assertThat(PairSampler.balanced(IMAGES, 100, 4).left()).isNotEqualTo(first.left());
  }

  @Test
  void differentPairsShouldReachEveryLabel() {
    PairSet pairs = PairSampler.balanced(IMAGES, 4000, 5);
    Set<Integer> partnerLabels = new HashSet<>();
    for (int i = 1; i < pairs.size(); i += 2) {
      partnerLabels.add(IMAGES.label(pairs.right()[i]));
    }

    assertThat(partnerLabels).containsExactlyInAnyOrder(0, 1, 2, 3);
  }

  @Test
  void shouldRejectAnOddCountOrDataWithoutSameOrDifferentPairs() {
    assertThatThrownBy(() -> PairSampler.balanced(IMAGES, 3, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PairSampler.balanced(TestImages.withCounts(1, 1, 1), 2, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no label has two images");
    assertThatThrownBy(() -> PairSampler.balanced(TestImages.withCounts(0, 4), 2, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fewer than two labels");
  }
}
