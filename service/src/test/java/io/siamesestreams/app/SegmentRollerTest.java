package io.siamesestreams.app;

import static io.siamesestreams.config.ServiceConfig.BOOTSTRAP_SERVERS;
import static io.siamesestreams.config.ServiceConfig.ERASURE_ROLL_INTERVAL_MS;
import static io.siamesestreams.config.ServiceConfig.MODEL_DIR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siamesestreams.config.ServiceConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentRollerTest {

  private static final ServiceSettings DEFAULTS = ServiceSettings.of(Map.of(BOOTSTRAP_SERVERS, "b:1", MODEL_DIR, "m"));

  @Test
  void shouldRollEveryHalfSegmentByDefault() {
    assertThat(DEFAULTS.segmentRollInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void shouldTakeTheConfiguredIntervalAndZeroForOff() {
    assertThat(DEFAULTS.with(Map.of(ERASURE_ROLL_INTERVAL_MS, " 5000 ")).segmentRollInterval())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(DEFAULTS.with(Map.of(ERASURE_ROLL_INTERVAL_MS, "0")).segmentRollInterval()).isZero();
  }

  @Test
  void shouldRejectANegativeOrNonNumericIntervalNamingTheKey() {
    assertThatThrownBy(() -> DEFAULTS.with(Map.of(ERASURE_ROLL_INTERVAL_MS, "-1")))
        .isInstanceOf(ServiceConfig.InvalidSettingException.class)
        .hasMessageContaining(ERASURE_ROLL_INTERVAL_MS + "=-1");
    assertThatThrownBy(() -> DEFAULTS.with(Map.of(ERASURE_ROLL_INTERVAL_MS, "30s")))
        .isInstanceOf(ServiceConfig.InvalidSettingException.class)
        .hasMessageContaining(ERASURE_ROLL_INTERVAL_MS + "=30s");
  }
}
