package io.siamesestreams.trainer.eval;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress indicator for long steps, e.g. {@code embedding test images: 2560/10000 (25%)}.
 *
 * <p>On a terminal the line is redrawn in place ({@code \r}) at most every {@value #REDRAW_MILLIS} ms;
 * otherwise (logs, CI) a line is printed at every quarter, so logs stay short. {@link #done()} ends
 * the line.
 */
final class ProgressLine {
  private static final long REDRAW_MILLIS = 200;

  private final String label;
  private final long total;
  private final PrintStream out;
  private final boolean inPlace;
  private long done;
  private long lastDrawMillis;
  private int lastQuarter;

  ProgressLine(String label, long total, PrintStream out, boolean inPlace) {
    this.label = label;
    this.total = total;
    this.out = out;
    this.inPlace = inPlace;
  }

  /** Progress on standard error, redrawn in place when the JVM has a console. */
  static ProgressLine onStandardError(String label, long total) {
    return new ProgressLine(label, total, System.err, System.console() != null);
  }

  /** Records {@code count} more items done. */
  void advance(long count) {
    done += count;
    if (inPlace) {
      long now = System.currentTimeMillis();
      if (now - lastDrawMillis >= REDRAW_MILLIS) {
        lastDrawMillis = now;
        out.print("\r" + text());
        out.flush();
      }
    } else {
      int quarter = total == 0 ? 4 : (int) (4 * done / total);
      if (quarter > lastQuarter && quarter < 4) {
        lastQuarter = quarter;
        out.println(text());
      }
    }
  }

  /** Prints the final count and ends the line. */
  void done() {
    out.println((inPlace ? "\r" : "") + text());
    out.flush();
  }

  private String text() {
    long percent = total == 0 ? 100 : 100 * done / total;
    return String.format(Locale.ROOT, "%s: %d/%d (%d%%)", label, done, total, percent);
  }
}
