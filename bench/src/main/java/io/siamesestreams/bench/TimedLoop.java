package io.siamesestreams.bench;

import java.time.Duration;
import java.util.function.IntSupplier;

/** Times a repeated step on the calling thread, as the ceiling and landmark timings do. */
final class TimedLoop {

  private TimedLoop() {}

  /**
   * Runs {@code step} for min(duration / 4, 0.5 s) as warm-up, then for about {@code duration}.
   *
   * @param step one repetition; returns how many items it processed
   * @return items per second over the timed part
   */
  static double itemsPerSecond(Duration duration, IntSupplier step) {
    long warmUpEnd = System.nanoTime() + Math.min(duration.toNanos() / 4, 500_000_000L);
    do {
      step.getAsInt();
    } while (System.nanoTime() < warmUpEnd);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long items = 0;
    long now;
    do {
      items += step.getAsInt();
      now = System.nanoTime();
    } while (now < end);
    return items / ((now - start) / 1e9);
  }
}
