package io.siamesestreams.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.demo.FrameTruth.Kind;
import io.siamesestreams.events.Decision;
import io.siamesestreams.events.MatchEvent;
import io.siamesestreams.events.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreboardTest {

  private static MatchEvent event(String frameId, Mode mode, Decision decision, String identity, long latency) {
    return new MatchEvent(frameId, "cam", 1_000, mode, decision, identity, 0.1, 0.9, 0.5, List.of(), "m", "v", 1_000 + latency);
  }

  @Test
  void shouldScoreVerifyAndIdentifyAgainstTheGroundTruth() {
    Scoreboard board = new Scoreboard();
    board.frameSent("g1", new FrameTruth(Kind.GENUINE, "a", "a", 0));
    board.frameSent("g2", new FrameTruth(Kind.GENUINE, "a", "a", 0));
    board.frameSent("i1", new FrameTruth(Kind.IMPOSTOR, "a", "b", 0));
    board.frameSent("i2", new FrameTruth(Kind.IMPOSTOR, "a", "b", 0));
    board.frameSent("i3", new FrameTruth(Kind.IMPOSTOR, "a", "b", 0));
    board.frameSent("n1", new FrameTruth(Kind.IDENTIFY, "c", null, 0));
    board.frameSent("n2", new FrameTruth(Kind.IDENTIFY, "c", null, 0));
    board.frameSent("m1", new FrameTruth(Kind.MALFORMED, null, null, 0));

    board.event(event("g1", Mode.VERIFY, Decision.MATCH, "a", 10));
    board.event(event("g2", Mode.VERIFY, Decision.NO_MATCH, "a", 20));
    board.event(event("i1", Mode.VERIFY, Decision.MATCH, "b", 30));
    board.event(event("i2", Mode.VERIFY, Decision.NO_MATCH, "b", 40));
    board.event(event("i3", Mode.VERIFY, Decision.NO_MATCH, "b", 50));
    board.event(event("n1", Mode.IDENTIFY, Decision.MATCH, "c", 60));
    board.event(event("n2", Mode.IDENTIFY, Decision.MATCH, "d", 70));
    board.deadLetter();

    DemoSummary summary = board.summary();
    assertThat(summary.frames()).isEqualTo(8);
    assertThat(summary.events()).isEqualTo(7);
    assertThat(summary.deadLettered()).isEqualTo(1);
    assertThat(summary.accountedFor()).isTrue();
    assertThat(summary.verifyFrr()).isEqualTo(0.5);
    assertThat(summary.verifyFar()).isEqualTo(1.0 / 3);
    assertThat(summary.identifyAccuracy()).isEqualTo(0.5);
    assertThat(summary.accuracy()).isEqualTo(4.0 / 7); // g1, i2, i3, n1
    assertThat(summary.p50Millis()).isEqualTo(40);
    assertThat(summary.p99Millis()).isEqualTo(70);
    assertThat(board.unexpectedEvents()).isZero();
  }

  @Test
  void shouldCountAnEventForAMalformedFrameAsWrong() {
    Scoreboard board = new Scoreboard();
    board.frameSent("m1", new FrameTruth(Kind.MALFORMED, null, null, 0));

    board.event(event("m1", Mode.IDENTIFY, Decision.MATCH, "a", 5));

    assertThat(board.unexpectedEvents()).isEqualTo(1);
    assertThat(board.summary().accuracy()).isZero();
  }

  @Test
  void shouldPrintTheSummaryLineExactly() {
    DemoSummary summary = new DemoSummary(100, 97, 3, 0.91234, 0.01, 0.05, 0.875, 35, 120.25);

    assertThat(summary.line()).isEqualTo("demo: frames=100 events=97 dead_lettered=3 accuracy=0.9123 verify_far=0.0100"
        + " verify_frr=0.0500 identify_accuracy=0.8750 p50_ms=35.0 p99_ms=120.3");
  }

  @Test
  void shouldTakeNearestRankPercentiles() {
    assertThat(LatencyTracker.percentile(List.of(), 0.5)).isNaN();
    assertThat(LatencyTracker.percentile(List.of(7L), 0.99)).isEqualTo(7);
    assertThat(LatencyTracker.percentile(List.of(1L, 2L, 3L, 4L), 0.5)).isEqualTo(2);
    assertThat(LatencyTracker.percentile(List.of(1L, 2L, 3L, 4L), 0.99)).isEqualTo(4);
  }
}
