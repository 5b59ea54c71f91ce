package io.siamesestreams.demo;

import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scores the service's output against the simulator's ground truth. Thread-safe: the cameras record
 * frames, the reader records events and dead letters, the progress ticker takes snapshots.
 */
final class Scoreboard {

  private final Map<String, FrameTruth> truthByFrameId = new ConcurrentHashMap<>();
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
  private final List<Long> latencies = new ArrayList<>();

  void frameSent(String frameId, FrameTruth truth) {
    truthByFrameId.put(frameId, truth);
    synchronized (this) {
      frames++;
    }
  }

  synchronized void deadLetter() {
    deadLettered++;
  }

  void event(MatchEvent event) {
    FrameTruth truth = truthByFrameId.get(event.frameId());
    synchronized (this) {
      events++;
      latencies.add(event.processedAt() - event.frameTimestamp());
      if (truth == null || truth.kind() == FrameTruth.Kind.MALFORMED) {
        unexpectedEvents++;
        return;
      }
      boolean right;
      switch (truth.kind()) {
        case GENUINE -> {
          genuine++;
          right = event.decision() == Decision.MATCH;
          if (!right) {
            genuineRejected++;
          }
        }
        case IMPOSTOR -> {
          impostor++;
          right = event.decision() == Decision.NO_MATCH;
          if (event.decision() == Decision.MATCH) {
            impostorAccepted++;
          }
        }
        default -> {
          identify++;
          right = truth.trueIdentity().equals(event.identityId());
          if (right) {
            identifyCorrect++;
          }
        }
      }
      if (right) {
        correct++;
      }
    }
  }

  synchronized long frames() {
    return frames;
  }

  synchronized long outcomes() {
    return events + deadLettered;
  }

  synchronized DemoSummary summary() {
    List<Long> sorted = new ArrayList<>(latencies);
    sorted.sort(null);
    return new DemoSummary(
        frames,
        events,
        deadLettered,
        ratio(correct, events),
        ratio(impostorAccepted, impostor),
        ratio(genuineRejected, genuine),
        ratio(identifyCorrect, identify),
        percentile(sorted, 0.50),
        percentile(sorted, 0.99));
  }

  /** Events for frames the simulator did not send as valid (should stay 0). */
  synchronized long unexpectedEvents() {
    return unexpectedEvents;
  }

  /** One progress line for people (stderr). */
  synchronized String progress(double elapsedSeconds, double framesPerSecond) {
    DemoSummary s = summary();
    return String.format(
        Locale.ROOT,
        "[%5.1fs] frames=%d (%.0f/s) events=%d dead_lettered=%d pending=%d accuracy=%.3f far=%.3f frr=%.3f"
            + " identify=%.3f p50=%.0fms p99=%.0fms",
        elapsedSeconds, s.frames(), framesPerSecond, s.events(), s.deadLettered(),
        s.frames() - s.events() - s.deadLettered(), s.accuracy(), s.verifyFar(), s.verifyFrr(),
        s.identifyAccuracy(), s.p50Millis(), s.p99Millis());
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? Double.NaN : (double) numerator / denominator;
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
