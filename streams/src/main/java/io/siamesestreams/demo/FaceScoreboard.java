package io.siamesestreams.demo;

import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scores the face service's events against the faces demo's ground truth. Thread-safe.
 *
 * <p>Per event (a face model gives one per face, or one NO_FACE per frame):
 *
 * <ul>
 *   <li>GROUP frame: the event's {@code faceBox} is matched to the frame's true faces (highest
 *       intersection over union, at least {@value #MIN_IOU}); an IDENTIFY outcome, right when the
 *       best candidate is that person, or, for a face that is no enrolled person's, when the
 *       decision is NO_MATCH. A NO_FACE event (every face missed) is wrong.
 *   <li>GENUINE crop: a verify claim, right when MATCH (anything else is a false reject).
 *   <li>IMPOSTOR crop: a verify claim, right unless MATCH (a MATCH is a false accept).
 *   <li>IDENTIFY crop: right when the best candidate is the person.
 *   <li>NO_FACE frame: right when the decision is NO_FACE.
 *   <li>MALFORMED or unknown frame: an unexpected event.
 * </ul>
 *
 * <p>Accounting: a frame has an outcome when at least one event carries its {@code frameId}, or
 * it was dead-lettered; every frame should have exactly one kind of outcome.
 */
final class FaceScoreboard {

  static final double MIN_IOU = 0.3;

  private final Map<String, FaceFrameTruth> truthByFrameId = new ConcurrentHashMap<>();
  private final Set<String> framesWithEvents = new HashSet<>();
  private final Set<String> groupFacesFound = new HashSet<>();
  private final List<Long> latencies = new ArrayList<>();
  private final List<Double> genuineDistances = new ArrayList<>();
  private final List<Double> impostorDistances = new ArrayList<>();
  private final Map<String, Integer> genuineRejectsByChange = new TreeMap<>();
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
  private long groupFacesExpected;
  private long noFaceFrames;
  private long noFaceCorrect;
  private long unexpectedEvents;

  void frameSent(String frameId, FaceFrameTruth truth) {
    truthByFrameId.put(frameId, truth);
    synchronized (this) {
      frames++;
      if (truth.kind() == FaceFrameTruth.Kind.GROUP) {
        groupFacesExpected += truth.faces().size();
      }
    }
  }

  synchronized void deadLetter() {
    deadLettered++;
  }

  void event(MatchEvent event) {
    FaceFrameTruth truth = truthByFrameId.get(event.frameId());
    synchronized (this) {
      events++;
      latencies.add(event.processedAt() - event.frameTimestamp());
      if (truth == null || truth.kind() == FaceFrameTruth.Kind.MALFORMED) {
        unexpectedEvents++;
        return;
      }
      framesWithEvents.add(event.frameId());
      boolean right = switch (truth.kind()) {
        case GROUP -> groupEvent(event, truth);
        case GENUINE -> {
          genuine++;
          if (event.distance() != null) {
            genuineDistances.add(event.distance());
          } else {
            genuineDistances.add(Double.POSITIVE_INFINITY);
          }
          boolean accepted = event.decision() == Decision.MATCH;
          if (!accepted) {
            genuineRejected++;
            genuineRejectsByChange.merge(truth.augmentation(), 1, Integer::sum);
          }
          yield accepted;
        }
        case IMPOSTOR -> {
          impostor++;
          impostorDistances.add(event.distance() == null ? Double.POSITIVE_INFINITY : event.distance());
          boolean accepted = event.decision() == Decision.MATCH;
          if (accepted) {
            impostorAccepted++;
          }
          yield !accepted;
        }
        case IDENTIFY -> {
          identify++;
          boolean found = truth.trueIdentity().equals(event.identityId()) && event.decision() != Decision.NO_FACE;
          if (found) {
            identifyCorrect++;
          }
          yield found;
        }
        case NO_FACE -> {
          noFaceFrames++;
          boolean none = event.decision() == Decision.NO_FACE;
          if (none) {
            noFaceCorrect++;
          }
          yield none;
        }
        case MALFORMED -> false;
      };
      if (right) {
        correct++;
      }
    }
  }

  /** Scores one event of a group frame (holding the lock). */
  private boolean groupEvent(MatchEvent event, FaceFrameTruth truth) {
    identify++;
    if (event.decision() == Decision.NO_FACE || event.faceBox() == null) {
      return false;
    }
    MatchEvent.FaceBox b = event.faceBox();
    FrameAugmentations.Box found = new FrameAugmentations.Box(b.x(), b.y(), b.width(), b.height());
    int best = -1;
    double bestIou = MIN_IOU;
    for (int i = 0; i < truth.faces().size(); i++) {
      double iou = truth.faces().get(i).box().iou(found);
      if (iou >= bestIou) {
        best = i;
        bestIou = iou;
      }
    }
    boolean right;
    if (best < 0) {
      // A face that is nobody enrolled (or no face at all): the right answer is NO_MATCH.
      right = event.decision() == Decision.NO_MATCH;
    } else {
      groupFacesFound.add(event.frameId() + "#" + best);
      right = truth.faces().get(best).identity().equals(event.identityId());
    }
    if (right) {
      identifyCorrect++;
    }
    return right;
  }

  synchronized long frames() {
    return frames;
  }

  /** Frames with at least one event, plus dead letters. */
  synchronized long outcomes() {
    return framesWithEvents.size() + deadLettered;
  }

  synchronized long framesWithEvents() {
    return framesWithEvents.size();
  }

  synchronized long unexpectedEvents() {
    return unexpectedEvents;
  }

  synchronized DemoSummary summary() {
    List<Long> sorted = new ArrayList<>(latencies);
    sorted.sort(null);
    return new DemoSummary(frames, events, deadLettered, ratio(correct, events), ratio(impostorAccepted, impostor),
        ratio(genuineRejected, genuine), ratio(identifyCorrect, identify), Scoreboard.percentile(sorted, 0.50),
        Scoreboard.percentile(sorted, 0.99));
  }

  /**
   * The face figures beyond the summary line: accounting, detection recall on group frames, NO_FACE
   * frames, genuine claims rejected by image change, and verify FAR/FRR recomputed from the events'
   * distances at {@code otherThreshold}.
   */
  synchronized String details(double otherThreshold) {
    long falseAccepts = impostorDistances.stream().filter(d -> d <= otherThreshold).count();
    long falseRejects = genuineDistances.stream().filter(d -> !(d <= otherThreshold)).count();
    return String.format(Locale.ROOT,
        "demo: faces: frames_with_events=%d dead_lettered=%d (accounted %d of %d frames)"
            + " group_faces_found=%d/%d no_face_frames_right=%d/%d genuine_claims=%d impostor_claims=%d"
            + " genuine_rejects_by_change=%s at_threshold_%.2f: verify_far=%.4f verify_frr=%.4f",
        framesWithEvents.size(), deadLettered, framesWithEvents.size() + deadLettered, frames, groupFacesFound.size(),
        groupFacesExpected, noFaceCorrect, noFaceFrames, genuine, impostor, genuineRejectsByChange, otherThreshold,
        ratio(falseAccepts, impostorDistances.size()), ratio(falseRejects, genuineDistances.size()));
  }

  /** One progress line for people (stderr). */
  synchronized String progress(double elapsedSeconds, double framesPerSecond) {
    DemoSummary s = summary();
    return String.format(Locale.ROOT,
        "[%5.1fs] frames=%d (%.0f/s) events=%d dead_lettered=%d pending=%d accuracy=%.3f far=%.3f frr=%.3f"
            + " identify=%.3f p50=%.0fms p99=%.0fms",
        elapsedSeconds, s.frames(), framesPerSecond, s.events(), s.deadLettered(),
        s.frames() - framesWithEvents.size() - s.deadLettered(), s.accuracy(), s.verifyFar(), s.verifyFrr(),
        s.identifyAccuracy(), s.p50Millis(), s.p99Millis());
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? Double.NaN : (double) numerator / denominator;
  }
}
