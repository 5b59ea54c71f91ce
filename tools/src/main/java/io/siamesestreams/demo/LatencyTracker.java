package io.siamesestreams.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * The events' latencies ({@code processedAt − frame timestamp}, ms) and their nearest-rank
 * percentiles. Not thread-safe: the scoreboards call it holding their lock.
 */
final class LatencyTracker {

  private final List<Long> latencies = new ArrayList<>();

  void add(long millis) {
    latencies.add(millis);
  }

  /** The latencies at the {@code quantiles} (each in [0, 1]), in that order; NaN when none was added. */
  double[] percentiles(double... quantiles) {
    List<Long> sorted = new ArrayList<>(latencies);
    sorted.sort(null);
    double[] values = new double[quantiles.length];
    for (int i = 0; i < quantiles.length; i++) {
      values[i] = percentile(sorted, quantiles[i]);
    }
    return values;
  }

  /** Nearest-rank percentile of an ascending list; NaN when empty. */
  static double percentile(List<Long> ascending, double quantile) {
    if (ascending.isEmpty()) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(quantile * ascending.size());
    return ascending.get(Math.max(0, Math.min(ascending.size() - 1, rank - 1)));
  }
}
