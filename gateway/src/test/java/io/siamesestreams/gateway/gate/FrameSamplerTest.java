package io.siamesestreams.gateway.gate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameSamplerTest {

  private static int accepted(FrameSampler sampler, double sourceFps, double seconds) {
    int count = 0;
    for (int i = 0; i < sourceFps * seconds; i++) {
      if (sampler.accept(Math.round(i * 1e6 / sourceFps))) {
        count++;
      }
    }
    return count;
  }

  @Test
  void fiveFramesPerSecondFromTwentyFiveKeepsEveryFifthFrame() {
    assertThat(accepted(new FrameSampler(5), 25, 10)).isEqualTo(50);
  }

  @Test
  void aRateThatDoesNotDivideTheSourceRateHoldsOnAverage() {
    assertThat(accepted(new FrameSampler(7), 25, 100)).isBetween(699, 701);
    assertThat(accepted(new FrameSampler(12), 30, 100)).isBetween(1199, 1201);
  }

  @Test
  void aRateAboveTheSourceRateKeepsEveryFrameAndZeroMeansNoLimit() {
    assertThat(accepted(new FrameSampler(50), 25, 10)).isEqualTo(250);
    assertThat(accepted(new FrameSampler(0), 25, 10)).isEqualTo(250);
  }

  @Test
  void noBurstFollowsAGapInTheStream() {
    FrameSampler sampler = new FrameSampler(5);
    assertThat(sampler.accept(0)).isTrue();
    // 10 s without frames, then 25 fps: still one frame per 200 ms, not the 50 "missed" ones.
    int after = 0;
    for (int i = 0; i < 25; i++) {
      if (sampler.accept(10_000_000L + i * 40_000L)) {
        after++;
      }
    }
    assertThat(after).isEqualTo(5);
  }
}
