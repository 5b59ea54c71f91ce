package io.siamesestreams.trainer.eval;

import io.siamesestreams.json.Json;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The result of {@link Evaluator#evaluate}: figures keyed as in {@code eval.json} ({@code auc}, {@code eer},
 * {@code tar_at_far_1e-1}, {@code tar_at_far_1e-2}, {@code tar_at_far_1e-3}, {@code threshold},
 * {@code accuracy_at_threshold}, {@code heldout_auc}, {@code head_auc}, {@code head_ece}, plus extras), and the ROC
 * curves to plot.
 *
 * <p>The keys and their meaning are listed in {@link Evaluator#evaluate}. {@code eval.json} holds, in this order:
 * {@code model_id} and {@code model_version} (strings), every figure (a number, or {@code null} where not
 * measurable), {@code seed}, the pair counts ({@code pairs}, {@code seen_pairs}, {@code heldout_pairs}),
 * {@code heldout_classes} and {@code ece_bins}.
 */
public final class EvalReport {

  /** One ROC curve to plot, e.g. all pairs or held-out classes only. */
  public record Curve(String name, RocCurve roc) {
    public Curve {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(roc, "roc");
    }
  }

  /** The bundle's decision threshold as a point on the all-pairs ROC curve. */
  public record OperatingPoint(double threshold, double falseAcceptRate, double trueAcceptRate) {}

  private static final int CHART_WIDTH = 900;
  private static final int CHART_HEIGHT = 650;
  /** Curve points closer than this in log10(FAR) and TAR are merged when plotting. */
  private static final double PLOT_RESOLUTION = 0.002;

  private final String modelId;
  private final String modelVersion;
  private final long seed;
  private final Map<String, Double> figures;
  private final Map<String, Integer> pairCounts;
  private final List<String> heldOutClasses;
  private final List<Curve> curves;
  private final OperatingPoint operatingPoint;

  /**
   * @param figures figures by eval.json key, NaN where not measurable; insertion order is kept
   * @param pairCounts pairs behind the figures, e.g. {@code pairs}, {@code seen_pairs}, {@code heldout_pairs}
   * @param heldOutClasses names of the classes kept out of training
   * @param curves curves to plot, the first being all pairs
   * @param operatingPoint the decision threshold on the first curve
   */
  public EvalReport(
      String modelId,
      String modelVersion,
      long seed,
      Map<String, Double> figures,
      Map<String, Integer> pairCounts,
      List<String> heldOutClasses,
      List<Curve> curves,
      OperatingPoint operatingPoint) {
    this.modelId = Objects.requireNonNull(modelId, "modelId");
    this.modelVersion = Objects.requireNonNull(modelVersion, "modelVersion");
    this.seed = seed;
    this.figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    this.pairCounts = Collections.unmodifiableMap(new LinkedHashMap<>(pairCounts));
    this.heldOutClasses = List.copyOf(heldOutClasses);
    this.curves = List.copyOf(curves);
    this.operatingPoint = Objects.requireNonNull(operatingPoint, "operatingPoint");
  }

  /** Figures by eval.json key; NaN where not measurable. Insertion-ordered. */
  public Map<String, Double> figures() {
    return figures;
  }

  /** One figure by key; NaN where not measurable. */
  public double figure(String key) {
    Double value = figures.get(key);
    if (value == null) {
      throw new IllegalArgumentException("no figure '" + key + "'; figures are " + figures.keySet());
    }
    return value;
  }

  /** Pair counts by eval.json key ({@code pairs}, {@code seen_pairs}, {@code heldout_pairs}). */
  public Map<String, Integer> pairCounts() {
    return pairCounts;
  }

  public long seed() {
    return seed;
  }

  public String modelId() {
    return modelId;
  }

  public String modelVersion() {
    return modelVersion;
  }

  public List<String> heldOutClasses() {
    return heldOutClasses;
  }

  public List<Curve> curves() {
    return curves;
  }

  public OperatingPoint operatingPoint() {
    return operatingPoint;
  }

  /** The content of {@code eval.json}: key → string, number, null (for NaN) or list. */
  public Map<String, Object> toJsonMap() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("model_id", modelId);
    json.put("model_version", modelVersion);
    figures.forEach((key, value) -> json.put(key, Double.isFinite(value) ? value : null));
    json.put("seed", seed);
    json.putAll(pairCounts);
    json.put("heldout_classes", heldOutClasses);
    json.put("ece_bins", ExpectedCalibrationError.DEFAULT_BINS);
    return json;
  }

  /** Writes {@code eval.json} (figures plus pair counts and seed) into {@code file}. */
  public void writeJson(Path file) {
    try {
      createParent(file);
      Files.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(toJsonMap()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Writes the ROC curve(s) as a PNG (XChart): TAR against FAR on a logarithmic FAR axis, one line per
   * curve and a marker at the operating point. Points with FAR = 0 cannot sit on a log axis; each curve
   * starts at the smallest non-zero FAR of any curve, the marker is drawn there when its FAR is 0.
   */
  public void writeRocPng(Path file) {
    XYChart chart = rocChart();
    try {
      createParent(file);
      try (OutputStream out = Files.newOutputStream(file)) {
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Human-readable multi-line summary of the figures. */
  public String summary() {
    StringBuilder text = new StringBuilder();
    text.append(String.format(Locale.ROOT, "model %s %s, seed %d, pairs:", modelId, modelVersion, seed));
    pairCounts.forEach((key, value) -> text.append(' ').append(key).append('=').append(value));
    text.append('\n');
    if (!heldOutClasses.isEmpty()) {
      text.append("held-out classes: ").append(String.join(", ", heldOutClasses)).append('\n');
    }
    figures.forEach(
        (key, value) -> text.append(String.format(Locale.ROOT, "  %-30s %s%n", key, format(value))));
    return text.toString();
  }

  @Override
  public String toString() {
    return "EvalReport[" + modelId + " " + modelVersion + ", " + figures + "]";
  }

  private XYChart rocChart() {
    XYChart chart =
        new XYChartBuilder()
            .width(CHART_WIDTH)
            .height(CHART_HEIGHT)
            .title("ROC: " + modelId + " " + modelVersion)
            .xAxisTitle("false accept rate (FAR, log scale)")
            .yAxisTitle("true accept rate (TAR)")
            .build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setXAxisMax(1.0);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setYAxisDecimalPattern("0.0");
    chart.getStyler().setChartBackgroundColor(Color.WHITE);

    double minFar = smallestPositiveFar();
    chart.getStyler().setXAxisMin(minFar);
    for (Curve curve : curves) {
      double[][] points = plotPoints(curve.roc(), minFar);
      XYSeries series =
          chart.addSeries(
              String.format(Locale.ROOT, "%s (AUC %.4f)", curve.name(), curve.roc().auc()), points[0], points[1]);
      series.setMarker(SeriesMarkers.NONE);
      series.setLineStyle(new BasicStroke(2f));
    }
    XYSeries chance = chart.addSeries("chance (TAR = FAR)", chanceLine(minFar), chanceLine(minFar));
    chance.setMarker(SeriesMarkers.NONE);
    chance.setLineColor(Color.GRAY);
    chance.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    XYSeries point =
        chart.addSeries(
            String.format(
                Locale.ROOT,
                "threshold %.4g: FAR %.4f, TAR %.4f",
                operatingPoint.threshold(),
                operatingPoint.falseAcceptRate(),
                operatingPoint.trueAcceptRate()),
            new double[] {Math.max(operatingPoint.falseAcceptRate(), minFar)},
            new double[] {operatingPoint.trueAcceptRate()});
    point.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    point.setMarker(SeriesMarkers.DIAMOND);
    point.setMarkerColor(Color.BLACK);
    return chart;
  }

  /** 50 log-spaced rates from {@code minFar} to 1. */
  private static double[] chanceLine(double minFar) {
    int n = 50;
    double[] rates = new double[n];
    double logMin = Math.log10(minFar);
    for (int i = 0; i < n; i++) {
      rates[i] = Math.pow(10, logMin * (1 - (double) i / (n - 1)));
    }
    return rates;
  }

  /** The smallest non-zero FAR over all curves, rounded down to a power of ten. */
  private double smallestPositiveFar() {
    double min = 1.0;
    for (Curve curve : curves) {
      min = Math.min(min, 1.0 / curve.roc().negatives());
    }
    return Math.pow(10, Math.floor(Math.log10(min)));
  }

  /**
   * (FAR, TAR) points of {@code roc} from FAR = {@code minFar} on, thinned so a 20,000-pair curve does not
   * turn into 20,000 line segments: a point is kept when it moved by {@value #PLOT_RESOLUTION} in
   * log10(FAR) or in TAR since the last kept one; the last point is always kept.
   */
  private static double[][] plotPoints(RocCurve roc, double minFar) {
    double[] far = roc.falseAcceptRates();
    double[] tar = roc.trueAcceptRates();
    List<double[]> kept = new ArrayList<>();
    // TAR reached before the first false accept, drawn at the axis start.
    double tarAtZeroFar = 0;
    int i = 0;
    while (i < far.length && far[i] == 0) {
      tarAtZeroFar = tar[i];
      i++;
    }
    kept.add(new double[] {minFar, tarAtZeroFar});
    double lastLogFar = Math.log10(minFar);
    double lastTar = tarAtZeroFar;
    for (; i < far.length; i++) {
      double logFar = Math.log10(far[i]);
      boolean last = i == far.length - 1;
      if (last || logFar - lastLogFar >= PLOT_RESOLUTION || Math.abs(tar[i] - lastTar) >= PLOT_RESOLUTION) {
        kept.add(new double[] {far[i], tar[i]});
        lastLogFar = logFar;
        lastTar = tar[i];
      }
    }
    double[][] xy = new double[2][kept.size()];
    for (int k = 0; k < kept.size(); k++) {
      xy[0][k] = kept.get(k)[0];
      xy[1][k] = kept.get(k)[1];
    }
    return xy;
  }

  private static String format(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : "n/a";
  }

  private static void createParent(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }
}
