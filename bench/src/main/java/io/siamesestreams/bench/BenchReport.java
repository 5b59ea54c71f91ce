package io.siamesestreams.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one {@code siamese bench} run measured: a table of rows (section, measurement, value, note)
 * and the headline figures of the final line.
 *
 * <p>The final line is exactly {@code bench: ceiling_fps=X pipeline_fps=X ratio=X
 * batched_vs_per_record=X p99_ms_at_50pct=X}: frames/s with one decimal, ratios with three,
 * milliseconds with one; {@code NaN} for a figure that was not measured.
 */
public final class BenchReport {

  /** One table row. */
  public record Row(String section, String measurement, String value, String note) {}

  private final List<Row> rows = new ArrayList<>();
  private double ceilingFps = Double.NaN;
  private double pipelineFps = Double.NaN;
  private double perRecordFps = Double.NaN;
  private double p99MsAt50Percent = Double.NaN;

  /** Adds a row; {@code note} may be empty. */
  public synchronized void add(String section, String measurement, String value, String note) {
    rows.add(new Row(section, measurement, value, note == null ? "" : note));
  }

  public synchronized List<Row> rows() {
    return List.copyOf(rows);
  }

  /** Encoder alone, ONNX Runtime, best batch size: images/s. */
  public void ceilingFps(double fps) {
    this.ceilingFps = fps;
  }

  /** The batched pipeline at saturation: frames/s. */
  public void pipelineFps(double fps) {
    this.pipelineFps = fps;
  }

  /** The per-record (batch 1) pipeline at saturation: frames/s. */
  public void perRecordFps(double fps) {
    this.perRecordFps = fps;
  }

  /** p99 latency (frame timestamp → match event readable) at 50 % of the saturated rate, ms. */
  public void p99MsAt50Percent(double ms) {
    this.p99MsAt50Percent = ms;
  }

  public double ceilingFps() {
    return ceilingFps;
  }

  public double pipelineFps() {
    return pipelineFps;
  }

  public double perRecordFps() {
    return perRecordFps;
  }

  /** pipeline ÷ ceiling. */
  public double ratio() {
    return pipelineFps / ceilingFps;
  }

  /** batched pipeline ÷ per-record pipeline. */
  public double batchedVsPerRecord() {
    return pipelineFps / perRecordFps;
  }

  public double p99MsAt50Percent() {
    return p99MsAt50Percent;
  }

  /** {@code bench: ceiling_fps=X pipeline_fps=X ratio=X batched_vs_per_record=X p99_ms_at_50pct=X}. */
  public String finalLine() {
    return String.format(Locale.ROOT,
        "bench: ceiling_fps=%.1f pipeline_fps=%.1f ratio=%.3f batched_vs_per_record=%.3f p99_ms_at_50pct=%.1f",
        ceilingFps, pipelineFps, ratio(), batchedVsPerRecord(), p99MsAt50Percent);
  }

  /** The table as aligned text, one row a line, grouped by section in insertion order. */
  public synchronized void printTable(PrintStream out) {
    int measurementWidth = 10;
    int valueWidth = 5;
    for (Row row : rows) {
      measurementWidth = Math.max(measurementWidth, row.measurement().length());
      valueWidth = Math.max(valueWidth, row.value().length());
    }
    String section = null;
    for (Row row : rows) {
      if (!row.section().equals(section)) {
        section = row.section();
        out.println();
        out.println("== " + section);
      }
      out.println(String.format(Locale.ROOT, "  %-" + measurementWidth + "s  %" + valueWidth + "s  %s",
          row.measurement(), row.value(), row.note()).stripTrailing());
    }
    out.println();
  }

  /** The table as Markdown (for docs/BENCHMARKS.md). */
  public synchronized String markdown() {
    StringBuilder md = new StringBuilder("| section | measurement | value | note |\n|---|---|---:|---|\n");
    for (Row row : rows) {
      md.append("| ").append(row.section()).append(" | ").append(row.measurement()).append(" | ")
          .append(row.value()).append(" | ").append(row.note()).append(" |\n");
    }
    return md.toString();
  }

  /** {@code value} with {@code decimals} decimals, root locale. */
  public static String number(double value, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }
}
