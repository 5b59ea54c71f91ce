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
 * batched_vs_per_record=X p99_ms_at_50pct=X passthrough_fps=X limit_fps=X ratio_to_limit=X
 * face_ratio_to_limit=X}: frames/s with one decimal, ratios with three, milliseconds with one;
 * {@code NaN} for a figure that was not measured.
 *
 * <p>The limit is what the pipeline could do if it only paid for Kafka's exactly-once transport and
 * the encoder, one after the other on the same machine: {@code limit_fps = 1 / (1/passthrough_fps +
 * 1/encoder_fps)}, the encoder at the service's own intra-op threads and its best batch size.
 */
public final class BenchReport {

  /** One table row. */
  public record Row(String section, String measurement, String value, String note) {}

  private final List<Row> rows = new ArrayList<>();
  private double ceilingFps = Double.NaN;
  private double pipelineFps = Double.NaN;
  private double perRecordFps = Double.NaN;
  private double p99MsAt50Percent = Double.NaN;
  private double passthroughFps = Double.NaN;
  private double encoderFps = Double.NaN;
  private double faceLimitFps = Double.NaN;
  private double facePipelineFps = Double.NaN;

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

  /** The bare exactly-once Kafka Streams passthrough of the same frames at saturation: records/s. */
  public void passthroughFps(double fps) {
    this.passthroughFps = fps;
  }

  /** The encoder alone at the service's intra-op threads, best batch: images/s (the limit's encoder term). */
  public void encoderFps(double fps) {
    this.encoderFps = fps;
  }

  /** The face bundle on face crops: its batched pipeline (frames/s) and its limit (frames/s, {@link #limit}). */
  public void face(double pipelineFps, double limitFps) {
    this.facePipelineFps = pipelineFps;
    this.faceLimitFps = limitFps;
  }

  /** {@code 1 / (1/passthroughFps + 1/encoderFps)}: transport and encoder, one after the other. */
  public static double limit(double passthroughFps, double encoderFps) {
    return 1.0 / (1.0 / passthroughFps + 1.0 / encoderFps);
  }

  public double passthroughFps() {
    return passthroughFps;
  }

  /** {@link #limit} of the headline model. */
  public double limitFps() {
    return limit(passthroughFps, encoderFps);
  }

  /** batched pipeline ÷ {@link #limitFps()}. */
  public double ratioToLimit() {
    return pipelineFps / limitFps();
  }

  /** The face bundle's batched pipeline on crops ÷ its limit. */
  public double faceRatioToLimit() {
    return facePipelineFps / faceLimitFps;
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

  /** The final line (see the class comment). */
  public String finalLine() {
    return String.format(Locale.ROOT,
        "bench: ceiling_fps=%.1f pipeline_fps=%.1f ratio=%.3f batched_vs_per_record=%.3f p99_ms_at_50pct=%.1f"
            + " passthrough_fps=%.1f limit_fps=%.1f ratio_to_limit=%.3f face_ratio_to_limit=%.3f",
        ceilingFps, pipelineFps, ratio(), batchedVsPerRecord(), p99MsAt50Percent, passthroughFps, limitFps(),
        ratioToLimit(), faceRatioToLimit());
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
