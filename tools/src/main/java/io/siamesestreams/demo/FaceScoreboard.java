package io.siamesestreams.demo;

import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.faces.detect.FaceBox;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
final class FaceScoreboard extends DemoScoreboard<FaceFrameTruth> {

  static final double MIN_IOU = 0.3;

  private final Set<String> framesWithEvents = new HashSet<>();
  private final Set<String> groupFacesFound = new HashSet<>();
  private final List<Double> genuineDistances = new ArrayList<>();
  private final List<Double> impostorDistances = new ArrayList<>();
  private final Map<String, Integer> genuineRejectsByChange = new TreeMap<>();
  private long groupFacesExpected;
  private long noFaceFrames;
  private long noFaceCorrect;

  @Override
  void counted(FaceFrameTruth truth) {
    if (truth.kind() == FaceFrameTruth.Kind.GROUP) {
      groupFacesExpected += truth.faces().size();
    }
  }

  @Override
  boolean malformed(FaceFrameTruth truth) {
    return truth.kind() == FaceFrameTruth.Kind.MALFORMED;
  }

  @Override
  boolean score(MatchEvent event, FaceFrameTruth truth) {
    framesWithEvents.add(event.frameId());
    return switch (truth.kind()) {
      case GROUP -> groupEvent(event, truth);
      case GENUINE -> {
        genuineDistances.add(event.distance() == null ? Double.POSITIVE_INFINITY : event.distance());
        boolean accepted = genuineClaim(event.decision());
        if (!accepted) {
          genuineRejectsByChange.merge(truth.augmentation(), 1, Integer::sum);
        }
        yield accepted;
      }
      case IMPOSTOR -> {
        impostorDistances.add(event.distance() == null ? Double.POSITIVE_INFINITY : event.distance());
        yield impostorClaim(event.decision());
      }
      case IDENTIFY -> identification(
          truth.trueIdentity().equals(event.identityId()) && event.decision() != Decision.NO_FACE);
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
  }

  /** Scores one event of a group frame (holding the lock). */
  private boolean groupEvent(MatchEvent event, FaceFrameTruth truth) {
    if (event.decision() == Decision.NO_FACE || event.faceBox() == null) {
      return identification(false);
    }
    FaceBox b = event.faceBox();
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
    if (best < 0) {
      // A face that is nobody enrolled (or no face at all): the right answer is NO_MATCH.
      return identification(event.decision() == Decision.NO_MATCH);
    }
    groupFacesFound.add(event.frameId() + "#" + best);
    return identification(truth.faces().get(best).identity().equals(event.identityId()));
  }

  /** Frames with at least one event, plus dead letters. */
  @Override
  synchronized long outcomes() {
    return framesWithEvents.size() + deadLettered();
  }

  synchronized long framesWithEvents() {
    return framesWithEvents.size();
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
        framesWithEvents.size(), deadLettered(), outcomes(), frames(), groupFacesFound.size(), groupFacesExpected,
        noFaceCorrect, noFaceFrames, genuineClaims(), impostorClaims(), genuineRejectsByChange, otherThreshold,
        ratio(falseAccepts, impostorDistances.size()), ratio(falseRejects, genuineDistances.size()));
  }
}
