package io.siamesestreams.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PlattScalingTest {

  /** Probabilities σ(x), x ~ N(0, 2²), with outcomes drawn from σ(scale · x + shift). */
  private static Object[] synthetic(double scale, double shift, int n, long seed) {
    Random random = new Random(seed);
    double[] p = new double[n];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      double x = 2 * random.nextGaussian();
      p[i] = PlattScaling.sigmoid(x);
      y[i] = random.nextDouble() < PlattScaling.sigmoid(scale * x + shift);
    }
    return new Object[] {p, y};
  }

  @Test
  void shouldRecoverKnownScaleAndShiftFromSyntheticData() {
    Object[] data = synthetic(2.0, -0.5, 20_000, 7);

    PlattScaling fit = PlattScaling.fit((double[]) data[0], (boolean[]) data[1]);

    assertThat(fit.scale()).isCloseTo(2.0, within(0.1));
    assertThat(fit.shift()).isCloseTo(-0.5, within(0.06));
  }

  @Test
  void shouldStayNearIdentityForAlreadyCalibratedProbabilities() {
    Object[] data = synthetic(1.0, 0.0, 20_000, 11);

    PlattScaling fit = PlattScaling.fit((double[]) data[0], (boolean[]) data[1]);

    assertThat(fit.scale()).isCloseTo(1.0, within(0.05));
    assertThat(fit.shift()).isCloseTo(0.0, within(0.05));
  }

  @Test
  void shouldReduceCalibrationErrorOfOverconfidentProbabilities() {
    // Probabilities σ(x) whose truth is σ(x / 3): three times too confident.
    Object[] data = synthetic(1.0 / 3, 0.0, 20_000, 3);
    double[] p = (double[]) data[0];
    boolean[] y = (boolean[]) data[1];

    PlattScaling fit = PlattScaling.fit(p, y);

    assertThat(fit.scale()).isCloseTo(1.0 / 3, within(0.03));
    assertThat(ExpectedCalibrationError.of(fit.apply(p), y)).isLessThan(0.02);
    assertThat(ExpectedCalibrationError.of(p, y)).isGreaterThan(0.1);
  }

  @Test
  void shouldStayFiniteOnPerfectlySeparableData() {
    double[] p = {0.1, 0.2, 0.3, 0.7, 0.8, 0.9};
    boolean[] y = {false, false, false, true, true, true};

    PlattScaling fit = PlattScaling.fit(p, y);

    assertThat(fit.scale()).isPositive().isFinite();
    assertThat(fit.apply(0.9)).isGreaterThan(0.5);
    assertThat(fit.apply(0.1)).isLessThan(0.5);
  }

  @Test
  void shouldApplyScaleToTheLogitAndAddTheShift() {
    PlattScaling platt = new PlattScaling(2.0, 1.0);

    assertThat(platt.apply(0.5)).isCloseTo(PlattScaling.sigmoid(1.0), within(1e-15));
    assertThat(platt.apply(PlattScaling.sigmoid(0.75))).isCloseTo(PlattScaling.sigmoid(2.5), within(1e-12));
    assertThat(PlattScaling.IDENTITY.apply(0.3)).isCloseTo(0.3, within(1e-12));
  }

  @Test
  void shouldClipProbabilitiesBeforeTheLogit() {
    assertThat(PlattScaling.logit(0.0)).isCloseTo(Math.log(1e-7 / (1 - 1e-7)), within(1e-9));
    assertThat(PlattScaling.logit(1.0)).isCloseTo(-Math.log(1e-7 / (1 - 1e-7)), within(1e-9));
  }

  @Test
  void shouldRefuseToFitWithoutBothOutcomes() {
    assertThatThrownBy(() -> PlattScaling.fit(new double[] {0.2, 0.4}, new boolean[] {true, true}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both outcomes");
  }
}
