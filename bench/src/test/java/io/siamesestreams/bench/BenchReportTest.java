package io.siamesestreams.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchReportTest {

  private static final String FIGURE = "(\\d+\\.\\d+|NaN)";
  /** The final line's shape: every figure a number or NaN, in this order. */
  static final String FINAL_LINE = "bench: ceiling_fps=" + FIGURE + " pipeline_fps=" + FIGURE + " ratio=" + FIGURE
      + " batched_vs_per_record=" + FIGURE + " p99_ms_at_50pct=" + FIGURE + " passthrough_fps=" + FIGURE
      + " limit_fps=" + FIGURE + " ratio_to_limit=" + FIGURE + " face_ratio_to_limit=" + FIGURE;

  /** The final line's figures by name, in order. */
  static Map<String, Double> figures(String finalLine) {
    assertThat(finalLine).matches(FINAL_LINE);
    Map<String, Double> figures = new LinkedHashMap<>();
    for (String field : finalLine.substring("bench: ".length()).split(" ")) {
      String[] nameValue = field.split("=");
      figures.put(nameValue[0], Double.parseDouble(nameValue[1]));
    }
    return figures;
  }

  @Test
  void shouldPrintTheFinalLineExactlyWithRatiosComputedFromTheFigures() {
    BenchReport report = new BenchReport();
    report.ceilingFps(4000);
    report.pipelineFps(2500);
    report.perRecordFps(1000);
    report.p99MsAt50Percent(123.44);
    report.passthroughFps(6000);
    report.encoderFps(2000);
    report.face(100, 250);

    // limit = 1 / (1/6000 + 1/2000) = 1500
    assertThat(report.finalLine()).isEqualTo(
        "bench: ceiling_fps=4000.0 pipeline_fps=2500.0 ratio=0.625 batched_vs_per_record=2.500 p99_ms_at_50pct=123.4"
            + " passthrough_fps=6000.0 limit_fps=1500.0 ratio_to_limit=1.667 face_ratio_to_limit=0.400");
    assertThat(figures(report.finalLine())).containsKeys("passthrough_fps", "limit_fps", "ratio_to_limit",
        "face_ratio_to_limit").allSatisfy((name, value) -> assertThat(value).isFinite().isPositive());
  }

  @Test
  void limitShouldBeTheRateOfTransportAndEncoderOneAfterTheOther() {
    assertThat(BenchReport.limit(1000, 1000)).isEqualTo(500.0);
    assertThat(BenchReport.limit(3000, 1500)).isCloseTo(1000.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(BenchReport.limit(Double.NaN, 1000)).isNaN();
  }

  @Test
  void shouldWriteNaNForFiguresThatWereNotMeasured() {
    BenchReport report = new BenchReport();
    report.ceilingFps(100);

    assertThat(report.finalLine()).isEqualTo(
        "bench: ceiling_fps=100.0 pipeline_fps=NaN ratio=NaN batched_vs_per_record=NaN p99_ms_at_50pct=NaN"
            + " passthrough_fps=NaN limit_fps=NaN ratio_to_limit=NaN face_ratio_to_limit=NaN");
    assertThat(report.finalLine()).matches(FINAL_LINE);
  }

  @Test
  void shouldGroupTableRowsBySectionInInsertionOrder() {
    BenchReport report = new BenchReport();
    report.add("ceiling", "batch 1", "10.0", "images/s");
    report.add("ceiling", "batch 8", "70.0", "images/s");
    report.add("search 1,000", "exact", "5000 q/s", "");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    report.printTable(new PrintStream(out, true, StandardCharsets.UTF_8));
    String table = out.toString(StandardCharsets.UTF_8);

    assertThat(table).containsSubsequence("== ceiling", "batch 1", "batch 8", "== search 1,000", "exact");
    assertThat(report.markdown()).contains("| ceiling | batch 8 | 70.0 | images/s |");
  }

  @Test
  void shouldTakeNearestRankPercentiles() {
    long[] latencies = new long[100];
    for (int i = 0; i < 100; i++) {
      latencies[i] = 100 - i; // 1..100 ms, unsorted
    }
    LatencySummary summary = LatencySummary.of(latencies);

    assertThat(summary.count()).isEqualTo(100);
    assertThat(summary.p50Ms()).isEqualTo(50);
    assertThat(summary.p95Ms()).isEqualTo(95);
    assertThat(summary.p99Ms()).isEqualTo(99);
    assertThat(summary.maxMs()).isEqualTo(100);
    assertThat(LatencySummary.of(new long[0]).p99Ms()).isNaN();
  }
}
