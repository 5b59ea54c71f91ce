package io.siamesestreams.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExpectedCalibrationErrorTest {

  @Test
  void shouldWeighEachBinsGapByItsShareOfPredictions() {
    // Bin of 0.1: confidence 0.1, accuracy 0.5 → 0.4 · ½; bin of 0.9: 0.9 vs 1.0 → 0.1 · ½.
    double ece =
        ExpectedCalibrationError.of(new double[] {0.1, 0.1, 0.9, 0.9}, new boolean[] {false, true, true, true});

    assertThat(ece).isCloseTo(0.25, within(1e-12));
  }

  @Test
  void shouldAverageConfidenceInsideABin() {
    // 0.2 and 0.25 share bin [3/15, 4/15): confidence 0.225, accuracy 0.5.
    double ece = ExpectedCalibrationError.of(new double[] {0.2, 0.25}, new boolean[] {true, false}, 15);

    assertThat(ece).isCloseTo(0.275, within(1e-12));
  }

  @Test
  void shouldSeparateProbabilitiesThatFallInDifferentBins() {
    // With 15 bins 0.2 (bin 3) and 0.3 (bin 4) are apart: |1 − 0.2| · ½ + |0 − 0.3| · ½; with 2 bins together.
    double[] p = {0.2, 0.3};
    boolean[] y = {true, false};

    assertThat(ExpectedCalibrationError.of(p, y, 15)).isCloseTo(0.55, within(1e-12));
    assertThat(ExpectedCalibrationError.of(p, y, 2)).isCloseTo(0.25, within(1e-12));
  }

  @Test
  void shouldBeZeroForPerfectlyCalibratedPredictions() {
    double[] p = new double[10];
    Arrays.fill(p, 0.3);
    boolean[] y = {true, true, true, false, false, false, false, false, false, false};

    assertThat(ExpectedCalibrationError.of(p, y)).isCloseTo(0.0, within(1e-12));
  }

  @Test
  void shouldPutProbabilityOneInTheLastBinAndZeroInTheFirst() {
    assertThat(ExpectedCalibrationError.of(new double[] {1.0, 0.0}, new boolean[] {true, false})).isEqualTo(0.0);
    assertThat(ExpectedCalibrationError.of(new double[] {1.0, 0.0}, new boolean[] {false, true})).isEqualTo(1.0);
  }

  @Test
  void shouldRejectProbabilitiesOutsideTheUnitInterval() {
    assertThatThrownBy(() -> ExpectedCalibrationError.of(new double[] {1.5}, new boolean[] {true}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside [0, 1]");
    assertThatThrownBy(() -> ExpectedCalibrationError.of(new double[] {Double.NaN}, new boolean[] {true}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
