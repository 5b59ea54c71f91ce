package io.siamesestreams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentRollerTest {

  @Test
  void shouldRollEveryHalfSegmentByDefault() {
    assertThat(SegmentRoller.interval(Map.of())).isEqualTo(SegmentRoller.DEFAULT_INTERVAL)
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void shouldTakeTheConfiguredIntervalAndZeroForOff() {
    assertThat(SegmentRoller.interval(Map.of(SegmentRoller.INTERVAL_CONFIG, " 5000 "))).isEqualTo(Duration.ofSeconds(5));
    assertThat(SegmentRoller.interval(Map.of(SegmentRoller.INTERVAL_CONFIG, "0"))).isZero();
  }

  @Test
  void shouldRejectANegativeOrNonNumericIntervalNamingTheKey() {
    assertThatThrownBy(() -> SegmentRoller.interval(Map.of(SegmentRoller.INTERVAL_CONFIG, "-1")))
        .hasMessageContaining(SegmentRoller.INTERVAL_CONFIG);
    assertThatThrownBy(() -> SegmentRoller.interval(Map.of(SegmentRoller.INTERVAL_CONFIG, "30s")))
        .hasMessageContaining(SegmentRoller.INTERVAL_CONFIG).hasMessageContaining("30s");
  }
}
