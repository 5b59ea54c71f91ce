package io.siamesestreams.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchReportTest {

  static final String FINAL_LINE = "bench: ceiling_fps=\\d+\\.\\d pipeline_fps=\\d+\\.\\d ratio=\\d+\\.\\d{3}"
      + " batched_vs_per_record=\\d+\\.\\d{3} p99_ms_at_50pct=\\d+\\.\\d";

  @Test
  void shouldPrintTheFinalLineExactlyWithRatiosComputedFromTheFigures() {
    BenchReport report = new BenchReport();
    report.ceilingFps(4000);
    report.pipelineFps(2500);
    report.perRecordFps(1000);
    report.p99MsAt50Percent(123.44);

    assertThat(report.finalLine()).isEqualTo(
        "bench: ceiling_fps=4000.0 pipeline_fps=2500.0 ratio=0.625 batched_vs_per_record=2.500 p99_ms_at_50pct=123.4");
    assertThat(report.finalLine()).matches(FINAL_LINE);
  }

  @Test
  void shouldWriteNaNForFiguresThatWereNotMeasured() {
    BenchReport report = new BenchReport();
    report.ceilingFps(100);

    assertThat(report.finalLine()).isEqualTo(
        "bench: ceiling_fps=100.0 pipeline_fps=NaN ratio=NaN batched_vs_per_record=NaN p99_ms_at_50pct=NaN");
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
