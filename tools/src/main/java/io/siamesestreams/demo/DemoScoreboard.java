package io.siamesestreams.demo;

import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What both demos' scoreboards share: the ground truth by frame id, the counts behind the
 * {@link DemoSummary}, the latencies and the progress line. A subclass scores one event against
 * its frame's truth ({@link #score}). Thread-safe: the cameras record frames, the reader records
 * events and dead letters, the progress ticker takes snapshots.
 *
 * @param <T> the simulator's ground truth of one frame
 */
abstract class DemoScoreboard<T> {

  private final Map<String, T> truthByFrameId = new ConcurrentHashMap<>();
  private final LatencyTracker latencies = new LatencyTracker();
  private long frames;
  private long events;
  private long deadLettered;
  private long correct;
  private long genuine;
  private long genuineRejected;
  private long impostor;
  private long impostorAccepted;
  private long identify;
  private long identifyCorrect;
  private long unexpectedEvents;

  void frameSent(String frameId, T truth) {
    truthByFrameId.put(frameId, truth);
    synchronized (this) {
      frames++;
      counted(truth);
    }
  }

  synchronized void deadLetter() {
    deadLettered++;
  }

  /**
   * Counts the event and its latency; an event for a malformed or unknown frame is unexpected
   * (and wrong), any other is scored by {@link #score}.
   */
  final void event(MatchEvent event) {
    T truth = truthByFrameId.get(event.frameId());
    synchronized (this) {
      events++;
      latencies.add(event.processedAt() - event.frameTimestamp());
      if (truth == null || malformed(truth)) {
        unexpectedEvents++;
        return;
      }
      if (score(event, truth)) {
        correct++;
      }
    }
  }

  /** A frame was sent (holding the lock); nothing by default. */
  void counted(T truth) {}

  /** Whether the frame was sent broken on purpose (so that any event for it is unexpected). */
  abstract boolean malformed(T truth);

  /** Scores one event of a valid frame (holding the lock): whether it is right. */
  abstract boolean score(MatchEvent event, T truth);

  /** Frames that have an outcome (an event, or a dead letter). */
  abstract long outcomes();

  /** A genuine claim (holding the lock): right when MATCH, else a false reject. */
  final boolean genuineClaim(Decision decision) {
    genuine++;
    boolean accepted = decision == Decision.MATCH;
    if (!accepted) {
      genuineRejected++;
    }
    return accepted;
  }

  /** An impostor claim (holding the lock): right unless MATCH, a false accept. */
  final boolean impostorClaim(Decision decision) {
    impostor++;
    boolean accepted = decision == Decision.MATCH;
    if (accepted) {
      impostorAccepted++;
    }
    return !accepted;
  }

  /** An identify outcome (holding the lock), right or not. */
  final boolean identification(boolean right) {
    identify++;
    if (right) {
      identifyCorrect++;
    }
    return right;
  }

  synchronized long frames() {
    return frames;
  }

  final synchronized long events() {
    return events;
  }

  final synchronized long deadLettered() {
    return deadLettered;
  }

  final synchronized long genuineClaims() {
    return genuine;
  }

  final synchronized long impostorClaims() {
    return impostor;
  }

  /** Events for frames the simulator did not send as valid (should stay 0). */
  synchronized long unexpectedEvents() {
    return unexpectedEvents;
  }

  synchronized DemoSummary summary() {
    double[] p50p99 = latencies.percentiles(0.50, 0.99);
    return new DemoSummary(
        frames,
        events,
        deadLettered,
        ratio(correct, events),
        ratio(impostorAccepted, impostor),
        ratio(genuineRejected, genuine),
        ratio(identifyCorrect, identify),
        p50p99[0],
        p50p99[1]);
  }

  /** One progress line for people (stderr). */
  synchronized String progress(double elapsedSeconds, double framesPerSecond) {
    DemoSummary s = summary();
    return String.format(
        Locale.ROOT,
        "[%5.1fs] frames=%d (%.0f/s) events=%d dead_lettered=%d pending=%d accuracy=%.3f far=%.3f frr=%.3f"
            + " identify=%.3f p50=%.0fms p99=%.0fms",
        elapsedSeconds, s.frames(), framesPerSecond, s.events(), s.deadLettered(), s.frames() - outcomes(),
        s.accuracy(), s.verifyFar(), s.verifyFrr(), s.identifyAccuracy(), s.p50Millis(), s.p99Millis());
  }

  static double ratio(long numerator, long denominator) {
    return denominator == 0 ? Double.NaN : (double) numerator / denominator;
  }
}
