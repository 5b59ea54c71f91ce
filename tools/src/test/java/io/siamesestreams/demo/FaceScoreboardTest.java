package io.siamesestreams.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.events.Mode;
import io.siamesestreams.faces.detect.FaceBox;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaceScoreboardTest {

  private static final FrameAugmentations.Box ALICE_BOX = new FrameAugmentations.Box(10, 10, 100, 100);
  private static final FrameAugmentations.Box BOB_BOX = new FrameAugmentations.Box(300, 20, 100, 100);

  private static MatchEvent event(String frameId, Mode mode, Decision decision, String identity, Double distance) {
    return new MatchEvent(frameId, "cam", 1_000, mode, decision, identity, distance, null, 0.6, List.of(), "m", "v",
        1_050);
  }

  private static MatchEvent face(String frameId, String identity, Decision decision, int x, int y, int index,
      int count) {
    return event(frameId, Mode.IDENTIFY, decision, identity, 0.3)
        .withFace(FaceBox.ofPixels(x, y, 100, 100), 0.8, index, count);
  }

  private static FaceFrameTruth group() {
    return new FaceFrameTruth(FaceFrameTruth.Kind.GROUP, null, null,
        List.of(new FaceFrameTruth.TruthFace("alice", ALICE_BOX), new FaceFrameTruth.TruthFace("bob", BOB_BOX)),
        "none");
  }

  @Test
  void shouldAccountAFrameOnceHoweverManyFacesItGave() {
    FaceScoreboard board = new FaceScoreboard();
    board.frameSent("g1", group());
    board.frameSent("m1", new FaceFrameTruth(FaceFrameTruth.Kind.MALFORMED, null, null, List.of(), "none"));

    board.event(face("g1", "alice", Decision.MATCH, 12, 8, 0, 2));
    board.event(face("g1", "bob", Decision.MATCH, 305, 25, 1, 2));
    board.deadLetter();

    assertThat(board.outcomes()).isEqualTo(2);
    assertThat(board.frames()).isEqualTo(2);
    DemoSummary summary = board.summary();
    assertThat(summary.events()).isEqualTo(2);
    assertThat(summary.identifyAccuracy()).isEqualTo(1.0);
    assertThat(board.details(0.5)).contains("group_faces_found=2/2").contains("accounted 2 of 2 frames");
  }

  @Test
  void shouldScoreAGroupFaceByTheTruthBoxItOverlapsMost() {
    FaceScoreboard board = new FaceScoreboard();
    board.frameSent("g1", group());

    // Found at bob's place but named alice: wrong; a face far from both must be NO_MATCH to be right.
    board.event(face("g1", "alice", Decision.MATCH, 300, 20, 0, 3));
    board.event(face("g1", "bob", Decision.MATCH, 600, 400, 1, 3));
    board.event(face("g1", null, Decision.NO_MATCH, 600, 600, 2, 3));

    assertThat(board.summary().identifyAccuracy()).isEqualTo(1.0 / 3);
  }

  @Test
  void shouldCountVerifyErrorsAndRecomputeThemAtAnotherThreshold() {
    FaceScoreboard board = new FaceScoreboard();
    board.frameSent("gen", new FaceFrameTruth(FaceFrameTruth.Kind.GENUINE, "alice", "alice", List.of(), "flip"));
    board.frameSent("imp", new FaceFrameTruth(FaceFrameTruth.Kind.IMPOSTOR, "alice", "bob", List.of(), "none"));
    board.frameSent("none", new FaceFrameTruth(FaceFrameTruth.Kind.NO_FACE, null, null, List.of(), "none"));

    board.event(event("gen", Mode.VERIFY, Decision.NO_MATCH, "alice", 0.62));
    board.event(event("imp", Mode.VERIFY, Decision.MATCH, "bob", 0.55));
    board.event(event("none", Mode.IDENTIFY, Decision.NO_FACE, null, null));

    DemoSummary summary = board.summary();
    assertThat(summary.verifyFrr()).isEqualTo(1.0);
    assertThat(summary.verifyFar()).isEqualTo(1.0);
    assertThat(summary.accuracy()).isEqualTo(1.0 / 3);
    assertThat(board.details(0.5)).contains("verify_far=0.0000 verify_frr=1.0000")
        .contains("genuine_rejects_by_change={flip=1}").contains("no_face_frames_right=1/1");
  }

  @Test
  void shouldCountAnEventForAMalformedFrameAsUnexpected() {
    FaceScoreboard board = new FaceScoreboard();
    board.frameSent("m1", new FaceFrameTruth(FaceFrameTruth.Kind.MALFORMED, null, null, List.of(), "none"));

    board.event(event("m1", Mode.IDENTIFY, Decision.NO_FACE, null, null));

    assertThat(board.unexpectedEvents()).isEqualTo(1);
    assertThat(board.outcomes()).isZero();
  }
}
