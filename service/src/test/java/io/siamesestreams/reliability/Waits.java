package io.siamesestreams.reliability;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling: every wait in the reliability scenarios has a deadline. */
final class Waits {
  private Waits() {}

  /**
   * Polls {@code condition} every 10 ms until it holds; returns the milliseconds it took.
   *
   * @throws AssertionError naming {@code what} when it did not hold within {@code timeout}
   */
  static long until(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      Thread.sleep(10);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }
}
