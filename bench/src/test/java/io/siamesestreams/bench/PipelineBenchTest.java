package io.siamesestreams.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The saturated throughput's steady-state arithmetic (the broker runs are in BenchPipelineIT). */
class PipelineBenchTest {

  @Test
  void shouldLeaveTheFirstQuarterOfTheEventsOutOfTheThroughput() {
    List<Long> processedAt = new ArrayList<>();
    // 100 slow warm-up events over 10 s, then 301 events at 100/s over 3 s (the quarter ends at the first).
    for (int i = 0; i < 100; i++) {
      processedAt.add(1_000L + i * 100L);
    }
    for (int i = 0; i <= 300; i++) {
      processedAt.add(11_000L + i * 10L);
    }
    Collections.shuffle(processedAt, new java.util.Random(3));

    PipelineBench.Throughput throughput = PipelineBench.steadyState(processedAt);

    assertThat(throughput.events()).isEqualTo(401);
    assertThat(throughput.seconds()).isEqualTo(3.0);
    assertThat(throughput.framesPerSecond()).isEqualTo(100.0);
  }

  @Test
  void shouldReportNoRateForFewerThanTwoEvents() {
    assertThat(PipelineBench.steadyState(List.of(5L)).framesPerSecond()).isNaN();
  }
}
