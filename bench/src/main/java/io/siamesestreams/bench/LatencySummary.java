package io.siamesestreams.bench;

import java.util.Arrays;

/**
 * Percentiles of a set of latencies (nearest-rank: the smallest sample with at least p % of the
 * samples at or below it).
 *
 * @param count samples
 * @param p50Ms median, ms
 * @param p95Ms 95th percentile, ms
 * @param p99Ms 99th percentile, ms
 * @param maxMs largest, ms
 */
public record LatencySummary(int count, double p50Ms, double p95Ms, double p99Ms, double maxMs) {

  /** Summarises {@code latenciesMs} (not modified); all NaN when empty. */
  public static LatencySummary of(long[] latenciesMs) {
    if (latenciesMs.length == 0) {
      return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    long[] sorted = latenciesMs.clone();
    Arrays.sort(sorted);
    return new LatencySummary(sorted.length, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99),
        sorted[sorted.length - 1]);
  }

  private static double rank(long[] sorted, double percent) {
    int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
