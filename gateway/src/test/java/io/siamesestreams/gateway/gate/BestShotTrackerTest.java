package io.siamesestreams.gateway.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.siamesestreams.faces.detect.FaceBox;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BestShotTrackerTest {

  private final List<String> sent = new ArrayList<>();
  private final List<String> dropped = new ArrayList<>();

  private static BestShotTracker.Shot<String> shot(double x, double sharpness, String name) {
    return new BestShotTracker.Shot<>(new FaceBox(x, 100, 80, 80, 0.9), sharpness, name);
  }

  @Test
  void aPersonStandingStillIsSentOncePerIntervalAsTheSharpestShot() {
    BestShotTracker<String> tracker = new BestShotTracker<>(1_000_000, sent::add, dropped::add);
    // 2 s at 25 fps, the box drifting by a pixel per frame; the sharpest shot of each second is frame 10 and 35.
    for (int i = 0; i < 50; i++) {
      double sharpness = i == 10 || i == 35 ? 500 : 100 + i;
      tracker.offer(i * 40_000L, List.of(shot(100 + i, sharpness, "f" + i)));
    }
    tracker.flush();
    assertThat(sent).containsExactly("f10", "f35");
    assertThat(dropped).hasSize(48);
  }

  @Test
  void twoPeopleAreTwoTracks() {
    BestShotTracker<String> tracker = new BestShotTracker<>(1_000_000, sent::add, dropped::add);
    for (int i = 0; i < 10; i++) {
      tracker.offer(i * 40_000L, List.of(shot(100, 10 + i, "a" + i), shot(400, 20 - i, "b" + i)));
    }
    assertThat(tracker.trackCount()).isEqualTo(2);
    tracker.flush();
    assertThat(sent).containsExactlyInAnyOrder("a9", "b0");
    assertThat(dropped).hasSize(18);
  }

  @Test
  void aTrackLostForLongerThanTheIntervalIsSentAndANewOneStarts() {
    BestShotTracker<String> tracker = new BestShotTracker<>(1_000_000, sent::add, dropped::add);
    tracker.offer(0, List.of(shot(100, 1, "first")));
    tracker.offer(3_000_000, List.of(shot(100, 1, "again")));
    assertThat(sent).containsExactly("first");
    tracker.flush();
    assertThat(sent).containsExactly("first", "again");
  }

  @Test
  void anIntervalOfZeroSendsEveryFace() {
    BestShotTracker<String> tracker = new BestShotTracker<>(0, sent::add, dropped::add);
    tracker.offer(0, List.of(shot(100, 1, "x"), shot(400, 1, "y")));
    tracker.offer(40_000, List.of(shot(100, 1, "z")));
    assertThat(sent).containsExactly("x", "y", "z");
    assertThat(dropped).isEmpty();
  }
}
