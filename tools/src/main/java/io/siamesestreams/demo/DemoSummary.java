package io.siamesestreams.demo;

import java.util.Locale;

/**
 * The demo's result.
 *
 * @param frames frames the simulated cameras sent
 * @param events match events received (read_committed)
 * @param deadLettered dead letters received for the frames topic
 * @param accuracy correct events / events: VERIFY genuine → MATCH, VERIFY impostor → NO_MATCH,
 *     IDENTIFY → best candidate is the true identity; an event for a malformed frame is wrong
 * @param verifyFar impostor claims accepted (MATCH) / impostor claims
 * @param verifyFrr genuine claims rejected (not MATCH) / genuine claims
 * @param identifyAccuracy IDENTIFY events whose best candidate is the true identity / IDENTIFY events
 * @param p50Millis median of {@code processedAt − frame timestamp} over the events, ms
 * @param p99Millis 99th percentile of the same, ms
 */
public record DemoSummary(
    long frames,
    long events,
    long deadLettered,
    double accuracy,
    double verifyFar,
    double verifyFrr,
    double identifyAccuracy,
    double p50Millis,
    double p99Millis) {

  /**
   * {@code demo: frames=N events=N dead_lettered=N accuracy=X verify_far=X verify_frr=X
   * identify_accuracy=X p50_ms=X p99_ms=X}; rates with 4 decimals, latencies with 1 (NaN when
   * there was nothing to measure).
   */
  public String line() {
    return String.format(
        Locale.ROOT,
        "demo: frames=%d events=%d dead_lettered=%d accuracy=%.4f verify_far=%.4f verify_frr=%.4f"
            + " identify_accuracy=%.4f p50_ms=%.1f p99_ms=%.1f",
        frames, events, deadLettered, accuracy, verifyFar, verifyFrr, identifyAccuracy, p50Millis, p99Millis);
  }

  /** Whether every frame ended as exactly one event or one dead letter. */
  public boolean accountedFor() {
    return events + deadLettered == frames;
  }
}
