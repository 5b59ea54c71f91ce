package io.siamesestreams.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankAucTest {

  @Test
  void shouldBeOneWhenEverySamePairIsCloserThanEveryDifferentPair() {
    assertThat(RankAuc.ofDistances(new double[] {0.1, 0.2, 0.9, 1.5}, new boolean[] {true, true, false, false}))
        .isEqualTo(1.0);
  }

  @Test
  void shouldCountOrderedPairsAndHalfOfTies() {
    // same: 0.5, 1.0; different: 0.2, 1.0 → (0.5<1.0: 1) + (1.0 vs 1.0: ½) over 4 comparisons.
    double auc = RankAuc.ofDistances(new double[] {0.5, 1.0, 0.2, 1.0}, new boolean[] {true, true, false, false});
    assertThat(auc).isCloseTo(1.5 / 4, within(1e-12));
  }

  @Test
  void shouldBeNaNWithoutDifferentPairs() {
    assertThat(RankAuc.ofDistances(new double[] {0.5, 1.0}, new boolean[] {true, true})).isNaN();
  }
}
