package io.siamesestreams.trainer;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line training progress display: step, smoothed loss, active fraction, images/s and ETA.
 *
 * <p>On a terminal the line is redrawn in place ({@code \r}); otherwise one line is printed per
 * update. Updates are throttled to one per {@code intervalMillis}, plus the last step.
 */
public final class ProgressBar {
  private static final int BAR_WIDTH = 24;
  private static final double SMOOTHING = 0.05;

  private final PrintStream out;
  private final int totalSteps;
  private final long intervalNanos;
  private final boolean redraw;
  private final long startNanos;
  private long lastPrintNanos;
  private double smoothedLoss = Double.NaN;
  private double smoothedActive = Double.NaN;
  private int lastLength;

  /**
   * @param redraw true to redraw one line with carriage returns (terminals), false for one line per update (logs)
   */
  public ProgressBar(PrintStream out, int totalSteps, long intervalMillis, boolean redraw) {
    this.out = out;
    this.totalSteps = totalSteps;
    this.intervalNanos = intervalMillis * 1_000_000L;
    this.redraw = redraw;
    this.startNanos = System.nanoTime();
    this.lastPrintNanos = startNanos;
  }

  /**
   * Records step {@code step} (1-based) and prints when the interval has passed or it is the last step.
   *
   * @param imagesSoFar images processed since the start
   */
  public void update(int step, double loss, double activeFraction, long imagesSoFar) {
    smoothedLoss = Double.isNaN(smoothedLoss) ? loss : smoothedLoss + SMOOTHING * (loss - smoothedLoss);
    smoothedActive =
        Double.isNaN(smoothedActive) ? activeFraction : smoothedActive + SMOOTHING * (activeFraction - smoothedActive);
    long now = System.nanoTime();
    if (now - lastPrintNanos < intervalNanos && step < totalSteps) {
      return;
    }
    lastPrintNanos = now;
    print(line(step, imagesSoFar, now), step == totalSteps);
  }

  /** Prints a message on its own line without disturbing the bar. */
  public void message(String text) {
    if (redraw && lastLength > 0) {
      out.print("\r" + " ".repeat(lastLength) + "\r");
      lastLength = 0;
    }
    out.println(text);
    out.flush();
  }

  private String line(int step, long images, long now) {
    double seconds = (now - startNanos) / 1e9;
    double imagesPerSecond = seconds > 0 ? images / seconds : 0;
    double secondsPerStep = step > 0 ? seconds / step : 0;
    long eta = Math.round(secondsPerStep * (totalSteps - step));
    int filled = (int) ((long) BAR_WIDTH * step / totalSteps);
    return String.format(
        Locale.ROOT,
        "[%s%s] step %d/%d  loss %.4f  active %.2f  %.0f img/s  elapsed %s  ETA %s",
        "#".repeat(filled),
        ".".repeat(BAR_WIDTH - filled),
        step,
        totalSteps,
        smoothedLoss,
        smoothedActive,
        imagesPerSecond,
        clock(Math.round(seconds)),
        clock(eta));
  }

  private void print(String line, boolean last) {
    if (redraw) {
      String pad = line.length() < lastLength ? " ".repeat(lastLength - line.length()) : "";
      out.print("\r" + line + pad);
      lastLength = line.length();
      if (last) {
        out.println();
        lastLength = 0;
      }
    } else {
      out.println(line);
    }
    out.flush();
  }

  private static String clock(long seconds) {
    return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
  }
}
